using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Simulator.Tests;

/// <summary>
/// A tiny Kestrel endpoint standing in for the gateway's webhook receiver: records every webhook the simulator posts
/// (raw body, headers, a signature check independent of the project's own, <see cref="ZoomWebhookHmac"/>) and answers URL validation like a gateway (with a configurable secret, to
/// provoke a wrong answer).
/// </summary>
internal sealed class WebhookInbox : IAsyncDisposable
{
    private const string SignatureHeader = "x-zm-signature";
    private const string TimestampHeader = "x-zm-request-timestamp";
    private readonly WebApplication _app;
    private readonly string _secret;
    private readonly Channel<ReceivedWebhook> _received = Channel.CreateUnbounded<ReceivedWebhook>();

    private WebhookInbox(WebApplication app, string secret)
    {
        _app = app;
        _secret = secret;
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var memory = new MemoryStream();
            await context.Request.Body.CopyToAsync(memory);
            var body = memory.ToArray();
            var headers = context.Request.Headers;
            var webhook = new ReceivedWebhook(
                JsonNode.Parse(body)!.AsObject(),
                body,
                ZoomWebhookHmac.Check(_secret, headers[SignatureHeader], headers[TimestampHeader], body, DateTimeOffset.UtcNow),
                headers[TimestampHeader].ToString(),
                headers.UserAgent.ToString(),
                context.Request.ContentType ?? string.Empty,
                headers[SignatureHeader].ToString());
            _received.Writer.TryWrite(webhook);
            if (webhook.Event == "endpoint.url_validation")
            {
                var plainToken = (string)webhook.Body["payload"]!["plainToken"]!;
                var answer = new JsonObject { ["plainToken"] = plainToken, ["encryptedToken"] = ZoomWebhookHmac.EncryptedToken(ValidationSecret ?? _secret, plainToken) };
                return Results.Text(answer.ToJsonString(), "application/json");
            }
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, context.RequestAborted);
            }
            return Results.StatusCode((int)(Answers.TryDequeue(out var next) ? next : Answer));
        });
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>The status answered to events (default 200).</summary>
    public HttpStatusCode Answer { get; set; } = HttpStatusCode.OK;

    /// <summary>Answers for the next events, in order, before falling back to <see cref="Answer"/>.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<HttpStatusCode> Answers { get; } = new();

    /// <summary>How long to wait before answering an event (a slow receiver).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Answer URL validation with this secret instead of the right one.</summary>
    public string? ValidationSecret { get; set; }

    public static async Task<WebhookInbox> StartAsync(string secret)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var inbox = new WebhookInbox(builder.Build(), secret);
        await inbox._app.StartAsync();
        var address = inbox._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        inbox.Url = new Uri(address + "/hook");
        return inbox;
    }

    /// <summary>The next webhook whose event name ends with <paramref name="suffix"/> (others before it are skipped).</summary>
    public Task<ReceivedWebhook> ExpectAsync(string suffix, string? streamId = null) =>
        ExpectAsync(w => w.Event.EndsWith(suffix, StringComparison.Ordinal) && (streamId is null || (string?)w.Field("rtms_stream_id") == streamId), suffix);

    public async Task<ReceivedWebhook> ExpectAsync(Func<ReceivedWebhook, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(RawRtmsClient.Timeout);
        try
        {
            while (true)
            {
                var webhook = await _received.Reader.ReadAsync(timeout.Token);
                if (match(webhook))
                {
                    return webhook;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no webhook {what} within {RawRtmsClient.Timeout}");
        }
    }

    /// <summary>Webhooks received so far and not consumed.</summary>
    public List<ReceivedWebhook> Drain()
    {
        var result = new List<ReceivedWebhook>();
        while (_received.Reader.TryRead(out var webhook))
        {
            result.Add(webhook);
        }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record ReceivedWebhook(JsonObject Body, byte[] Raw, WebhookSignatureResult Signature, string Timestamp, string UserAgent, string ContentType, string SignatureHeader)
{
    public string Event => (string)Body["event"]!;

    /// <summary>A payload field, flat or nested in payload.object.</summary>
    public JsonNode? Field(string name) => Body["payload"]![name] ?? Body["payload"]!["object"]?[name];
}
