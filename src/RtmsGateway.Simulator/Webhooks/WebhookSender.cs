using System.Buffers;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RtmsGateway.Protocol;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Simulator;

/// <summary>
/// Posts Zoom-signed webhooks (§2): <c>x-zm-signature</c> = v0 HMAC of "v0:{timestamp}:{body}" with the secret token,
/// <c>x-zm-request-timestamp</c> in seconds (or milliseconds), fields flat under <c>payload</c> or nested in
/// <c>payload.object</c>, and the URL validation challenge.
/// </summary>
internal sealed partial class WebhookSender(SimulatorOptions options, HttpClient http, ILogger logger)
{
    public async Task<HttpStatusCode> SendRtmsAsync(SimulatedMeeting meeting, string action, StopReason? stopReason, CancellationToken ct)
    {
        var prefix = meeting.Options.Product switch
        {
            SimulatedProduct.Webinar => "webinar",
            SimulatedProduct.VideoSdk => "session",
            _ => "meeting",
        };
        var idField = meeting.Options.Product switch
        {
            SimulatedProduct.Webinar => "webinar_uuid",
            SimulatedProduct.VideoSdk => "session_id",
            _ => "meeting_uuid",
        };
        return await SendAsync($"{prefix}.{action}", w =>
        {
            w.WriteString(idField, meeting.InstanceId);
            if (meeting.Options.Product == SimulatedProduct.VideoSdk)
            {
                w.WriteString("session_key", "sim-" + meeting.StreamId[..8]);
            }
            w.WriteString("rtms_stream_id", meeting.StreamId);
            if (action == "rtms_started")
            {
                w.WriteString("operator_id", "sim-operator");
                w.WriteString("server_urls", meeting.SignalingUrl);
                w.WriteNumber("meeting_id", 80_000_000_000 + (Math.Abs(meeting.StreamId.GetHashCode(StringComparison.Ordinal)) % 1_000_000_000));
                w.WriteBoolean("is_original_host", true);
            }
            if (stopReason is { } reason)
            {
                w.WriteNumber("stop_reason", (int)reason);
            }
        }, ct);
    }

    public async Task<HttpStatusCode> SendAsync(string eventName, Action<Utf8JsonWriter> writeFields, CancellationToken ct)
    {
        if (options.WebhookUrl is not { } url)
        {
            return 0;
        }
        var body = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(body))
        {
            w.WriteStartObject();
            w.WriteString("event", eventName);
            w.WriteNumber("event_ts", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            w.WriteStartObject("payload");
            if (options.WebhookPayloadShape == WebhookPayloadShape.Nested)
            {
                w.WriteString("account_id", "sim-account");
                w.WriteStartObject("object");
                writeFields(w);
                w.WriteEndObject();
            }
            else
            {
                w.WriteString("account_id", "sim-account");
                writeFields(w);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        var bytes = body.WrittenSpan.ToArray();
        try
        {
            using var response = await http.SendAsync(Signed(url, bytes), ct);
            LogSent(eventName, (int)response.StatusCode);
            return response.StatusCode;
        }
        catch (HttpRequestException ex)
        {
            LogFailed(eventName, ex.Message);
            return 0;
        }
    }

    public async Task<UrlValidationResult> ValidateAsync(CancellationToken ct)
    {
        if (options.WebhookUrl is not { } url)
        {
            return new UrlValidationResult(false, 0, "no webhook URL configured");
        }
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new Dictionary<string, object> { ["event"] = UrlValidation.EventName, ["event_ts"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), ["payload"] = new Dictionary<string, string> { ["plainToken"] = token } },
            ValidationJsonContext.Default.DictionaryStringObject);
        try
        {
            using var response = await http.SendAsync(Signed(url, body), ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                return new UrlValidationResult(false, response.StatusCode, text);
            }
            using var json = JsonDocument.Parse(text);
            var expected = UrlValidation.CreateResponse(options.WebhookSecretToken, token).EncryptedToken;
            var plain = json.RootElement.TryGetProperty("plainToken", out var p) ? p.GetString() : null;
            var encrypted = json.RootElement.TryGetProperty("encryptedToken", out var e) ? e.GetString() : null;
            var ok = plain == token && encrypted == expected;
            return new UrlValidationResult(ok, response.StatusCode, ok ? "validated" : $"unexpected answer {text}");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            return new UrlValidationResult(false, 0, ex.Message);
        }
    }

    private HttpRequestMessage Signed(Uri url, byte[] body)
    {
        var now = DateTimeOffset.UtcNow;
        var timestamp = (options.WebhookTimestampUnit == WebhookTimestampUnit.Milliseconds ? now.ToUnixTimeMilliseconds() : now.ToUnixTimeSeconds())
            .ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, timestamp);
        request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Compute(options.WebhookSecretToken, timestamp, body));
        request.Headers.TryAddWithoutValidation("User-Agent", "Zoom Marketplace/1.0a");
        request.Headers.TryAddWithoutValidation("x-zm-trackingid", "sim_" + Guid.NewGuid().ToString("N"));
        return request;
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Debug, Message = "Webhook {Event} answered {Status}")]
    private partial void LogSent(string @event, int status);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Webhook {Event} not delivered: {Error}")]
    private partial void LogFailed(string @event, string error);
}
