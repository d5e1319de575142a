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

/// <summary>A tiny HTTP endpoint that records the webhooks the simulator posts and answers URL validation like a gateway.</summary>
internal sealed class WebhookInbox : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ReceivedWebhook> _received = Channel.CreateUnbounded<ReceivedWebhook>();

    private WebhookInbox(WebApplication app, string secret)
    {
        _app = app;
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var memory = new MemoryStream();
            await context.Request.Body.CopyToAsync(memory);
            var body = memory.ToArray();
            var webhook = new ReceivedWebhook(
                JsonNode.Parse(body)!.AsObject(),
                WebhookSignature.Verify(secret, context.Request.Headers[WebhookSignature.SignatureHeader], context.Request.Headers[WebhookSignature.TimestampHeader], body, DateTimeOffset.UtcNow, WebhookSignature.DefaultTolerance),
                context.Request.Headers[WebhookSignature.TimestampHeader].ToString());
            _received.Writer.TryWrite(webhook);
            if ((string?)webhook.Body["event"] == UrlValidation.EventName)
            {
                return Results.Json(UrlValidation.CreateResponse(secret, (string)webhook.Body["payload"]!["plainToken"]!));
            }
            return Results.Ok();
        });
    }

    public Uri Url { get; private set; } = null!;

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

    /// <summary>The next webhook whose event name ends with <paramref name="suffix"/>.</summary>
    public async Task<ReceivedWebhook> ExpectAsync(string suffix)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var webhook = await _received.Reader.ReadAsync(timeout.Token);
            if (((string)webhook.Body["event"]!).EndsWith(suffix, StringComparison.Ordinal))
            {
                return webhook;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record ReceivedWebhook(JsonObject Body, WebhookSignatureResult Signature, string Timestamp)
{
    /// <summary>A payload field, flat or nested in payload.object.</summary>
    public JsonNode? Field(string name) => Body["payload"]![name] ?? Body["payload"]!["object"]?[name];
}
