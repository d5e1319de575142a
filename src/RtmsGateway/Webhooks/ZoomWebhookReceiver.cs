using System.Buffers;
using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Protocol;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Webhooks;

/// <summary>
/// The Zoom webhook endpoint (§2): reads the raw body within a size limit (413), verifies <c>x-zm-signature</c> and the
/// replay window over the exact bytes before anything else looks at them (401, one throttled log line, nothing parsed;
/// URL validation included: Zoom signs it), parses tolerantly (400 for malformed JSON or missing fields, never a 500),
/// answers URL validation synchronously, and hands RTMS events to the <see cref="WebhookRouter"/> before
/// answering 200 — the work itself happens after the response, well inside Zoom's 3 s budget.
/// </summary>
internal sealed partial class ZoomWebhookReceiver(WebhookRouter router, IOptions<ZoomOptions> options, TimeProvider time, GatewayMetrics metrics, ILogger<ZoomWebhookReceiver> logger)
{
    /// <summary>Refusals are counted (<c>rtms_gateway_webhooks_total{outcome="invalid_signature"}</c>) and logged at most once every 10 s.</summary>
    private readonly LogThrottle _refusals = new(time, TimeSpan.FromSeconds(10));

    public async Task<IResult> ReceiveAsync(HttpContext context)
    {
        var zoom = options.Value;
        var request = context.Request;
        if (request.ContentLength > zoom.MaxWebhookBodyBytes)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, "body_too_large", $"Webhook bodies are limited to {zoom.MaxWebhookBodyBytes} bytes.");
        }
        var body = await ReadBodyAsync(request, zoom.MaxWebhookBodyBytes, context.RequestAborted);
        if (body is null)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, "body_too_large", $"Webhook bodies are limited to {zoom.MaxWebhookBodyBytes} bytes.");
        }

        // Verify before parse: nothing of an unsigned body is looked at beyond the bytes the signature covers.
        var signature = request.Headers[WebhookSignature.SignatureHeader].ToString();
        var timestamp = request.Headers[WebhookSignature.TimestampHeader].ToString();
        var verdict = WebhookSignature.Verify(zoom.WebhookSecretToken!, signature, timestamp, body, time.GetUtcNow(), zoom.WebhookReplayWindow);
        if (verdict != WebhookSignatureResult.Valid)
        {
            if (_refusals.ShouldLog(out var suppressed))
            {
                LogRejected(verdict.ToString(), context.Connection.RemoteIpAddress?.ToString(), suppressed);
            }
            return Refuse(StatusCodes.Status401Unauthorized, "invalid_signature", SignatureMessage(verdict));
        }

        ZoomWebhookEvent evt;
        try
        {
            evt = ZoomWebhookParser.Parse(body);
        }
        catch (Exception ex) when (ex is RtmsProtocolException or ArgumentException or FormatException or InvalidOperationException or System.Text.Json.JsonException or System.Text.DecoderFallbackException)
        {
            // Signed, so from Zoom (or whoever holds the token): worth a line, never a stack trace or a 500.
            var error = ex is RtmsProtocolException protocol ? protocol.Error : RtmsProtocolError.MalformedJson;
            LogMalformed(error, ex.Message);
            return Refuse(StatusCodes.Status400BadRequest, "malformed_body", ex is RtmsProtocolException ? ex.Message : "The body is not valid UTF-8 JSON.");
        }

        if (evt.Kind == WebhookEventKind.UrlValidation)
        {
            if (!UrlValidation.IsAcceptableToken(evt.PlainToken))
            {
                return Refuse(StatusCodes.Status400BadRequest, "invalid_plain_token", "plainToken must be 1-64 base64/base64url characters.");
            }
            LogValidated();
            metrics.Webhook("url_validation");
            return Results.Json(UrlValidation.CreateResponse(zoom.WebhookSecretToken!, evt.PlainToken!), WebhookJsonContext.Default.UrlValidationResponse);
        }

        if (evt.Kind == WebhookEventKind.Other)
        {
            LogIgnored(evt.Event);
            metrics.Webhook("ignored");
            return Results.Ok();
        }
        if (!router.TryAccept(evt))
        {
            // Zoom retries unacknowledged deliveries; better late than lost.
            return Refuse(StatusCodes.Status503ServiceUnavailable, "overloaded", "Too many webhooks queued; retry later.");
        }
        LogAccepted(evt.Event, evt.RtmsStreamId);
        metrics.Webhook("accepted");
        return Results.Ok();
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is longer.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, 16 * 1024));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        return null;
                    }
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0)
                {
                    return length > limit ? null : buffer.AsSpan(0, length).ToArray();
                }
                length += read;
                if (length > limit)
                {
                    return null;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string SignatureMessage(WebhookSignatureResult verdict) => verdict switch
    {
        WebhookSignatureResult.MissingHeaders => "x-zm-signature and x-zm-request-timestamp are required.",
        WebhookSignatureResult.MalformedTimestamp => "x-zm-request-timestamp is not a Unix timestamp.",
        WebhookSignatureResult.OutsideReplayWindow => "x-zm-request-timestamp is outside the replay window.",
        _ => "x-zm-signature does not match the body.",
    };

    private IResult Refuse(int status, string code, string message)
    {
        metrics.Webhook(code);
        return Results.Json(new WebhookError(code, message), WebhookJsonContext.Default.WebhookError, statusCode: status);
    }

    [LoggerMessage(EventId = LogEventIds.WebhookRefused, Level = LogLevel.Warning, Message = "Webhook refused: {Verdict} (from {Remote}); {Suppressed} more refused since the last such line")]
    private partial void LogRejected(string verdict, string? remote, long suppressed);

    [LoggerMessage(EventId = LogEventIds.WebhookMalformed, Level = LogLevel.Warning, Message = "Webhook body malformed ({Error}): {Detail}")]
    private partial void LogMalformed(RtmsProtocolError error, string detail);

    [LoggerMessage(EventId = LogEventIds.WebhookUrlValidation, Level = LogLevel.Information, Message = "Answered Zoom URL validation")]
    private partial void LogValidated();

    [LoggerMessage(EventId = LogEventIds.WebhookIgnored, Level = LogLevel.Debug, Message = "Ignored webhook {Event}")]
    private partial void LogIgnored(string @event);

    [LoggerMessage(EventId = LogEventIds.WebhookAccepted, Level = LogLevel.Information, Message = "Accepted {Event} for {StreamId}")]
    private partial void LogAccepted(string @event, string? streamId);
}
