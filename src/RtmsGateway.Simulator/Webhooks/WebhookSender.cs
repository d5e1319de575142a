using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Simulator;

/// <summary>
/// Posts webhooks the way Zoom does (§2): JSON <c>{event, event_ts, payload}</c>, fields flat under <c>payload</c> or
/// nested in <c>payload.object</c>, signed with <c>x-zm-signature</c> = v0 HMAC of "v0:{timestamp}:{raw body}" under the
/// secret token, <c>x-zm-request-timestamp</c> in seconds (or milliseconds), <c>User-Agent: Zoom Marketplace/1.0a</c>;
/// laid out as <see cref="SimulatorOptions.WebhookBodyStyle"/> says; an answer later than
/// <see cref="SimulatorOptions.WebhookResponseTimeout"/> (3 s) is a failure; plus the <c>endpoint.url_validation</c> challenge. Never throws for delivery failures: the status is 0.
/// </summary>
internal sealed partial class WebhookSender(SimulatorOptions options, HttpClient http, ILogger logger)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>Posts <paramref name="eventName"/>; <paramref name="writeFields"/> writes the event's fields.</summary>
    public Task<HttpStatusCode> SendEventAsync(string eventName, string? accountId, Action<Utf8JsonWriter> writeFields, string subject, CancellationToken ct) =>
        SendRawAsync(BuildEvent(eventName, accountId, writeFields, null), eventName, subject, ct);

    /// <summary>The body of an event webhook in the configured <see cref="WebhookBodyStyle"/>; <paramref name="topic"/> is
    /// written only with <see cref="WebhookBodyStyle.NonAscii"/>.</summary>
    public byte[] BuildEvent(string eventName, string? accountId, Action<Utf8JsonWriter> writeFields, string? topic)
    {
        var style = options.WebhookBodyStyle;
        var body = new ArrayBufferWriter<byte>(512);
        var writerOptions = new JsonWriterOptions
        {
            Indented = style.HasFlag(WebhookBodyStyle.Whitespace),
            // Zoom writes its bodies with JSON.stringify: '+', '<', '&', quotes and non-ASCII text literally, not as \u
            // escapes (the default encoder's \u002B would break an app that verifies the HMAC over the re-serialized body).
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        using (var w = new Utf8JsonWriter(body, writerOptions))
        {
            var eventTs = options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            w.WriteStartObject();
            if (!style.HasFlag(WebhookBodyStyle.ReorderedKeys))
            {
                w.WriteString("event", eventName);
                w.WriteNumber("event_ts", eventTs);
            }
            w.WriteStartObject("payload");
            if (accountId is not null && !style.HasFlag(WebhookBodyStyle.ReorderedKeys))
            {
                w.WriteString("account_id", accountId);
            }
            if (options.WebhookPayloadShape == WebhookPayloadShape.Nested)
            {
                w.WriteStartObject("object");
                WriteFields(w);
                w.WriteEndObject();
            }
            else
            {
                WriteFields(w);
            }
            if (accountId is not null && style.HasFlag(WebhookBodyStyle.ReorderedKeys))
            {
                w.WriteString("account_id", accountId);
            }
            w.WriteEndObject();
            if (style.HasFlag(WebhookBodyStyle.ReorderedKeys))
            {
                w.WriteNumber("event_ts", eventTs);
                w.WriteString("event", eventName);
            }
            w.WriteEndObject();
        }
        return body.WrittenSpan.ToArray();

        void WriteFields(Utf8JsonWriter w)
        {
            if (style.HasFlag(WebhookBodyStyle.ReorderedKeys))
            {
                // Fields as an object of their own first, to move rtms_stream_id & co. ahead of the ids.
                using var buffer = new MemoryStream();
                using (var inner = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = writerOptions.Encoder }))
                {
                    inner.WriteStartObject();
                    writeFields(inner);
                    inner.WriteEndObject();
                }
                using var doc = JsonDocument.Parse(buffer.ToArray());
                foreach (var property in doc.RootElement.EnumerateObject().Reverse())
                {
                    property.WriteTo(w);
                }
            }
            else
            {
                writeFields(w);
            }
            if (style.HasFlag(WebhookBodyStyle.NonAscii) && topic is not null)
            {
                w.WriteString("topic", topic);
            }
        }
    }

    /// <summary>Signs and posts an arbitrary body.</summary>
    public async Task<HttpStatusCode> SendRawAsync(byte[] body, string eventName, string subject, CancellationToken ct)
    {
        if (options.WebhookUrl is not { } url)
        {
            LogNoUrl(eventName, subject);
            return 0;
        }
        using var late = CancellationTokenSource.CreateLinkedTokenSource(ct);
        late.CancelAfter(options.WebhookResponseTimeout);
        try
        {
            using var request = Signed(url, body);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, late.Token);
            LogSent(eventName, subject, (int)response.StatusCode);
            return response.StatusCode;
        }
        catch (OperationCanceledException) when (late.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // Zoom wants the answer within 3 s; a later one is a failed delivery (§2.6).
            LogFailed(eventName, subject, $"no answer within {options.WebhookResponseTimeout}");
            return 0;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            LogFailed(eventName, subject, ex.Message);
            return 0;
        }
    }

    public async Task<UrlValidationResult> ValidateAsync(CancellationToken ct)
    {
        if (options.WebhookUrl is not { } url)
        {
            return new UrlValidationResult(false, 0, "no webhook URL configured");
        }
        // Zoom's plainToken: 16 random bytes, base64url without padding (22 characters).
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var body = new ArrayBufferWriter<byte>(160);
        using (var w = new Utf8JsonWriter(body))
        {
            w.WriteStartObject();
            w.WriteStartObject("payload");
            w.WriteString("plainToken", token);
            w.WriteEndObject();
            w.WriteNumber("event_ts", options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
            w.WriteString("event", UrlValidation.EventName);
            w.WriteEndObject();
        }
        var expected = UrlValidation.CreateResponse(options.WebhookSecretToken, token).EncryptedToken;
        try
        {
            using var request = Signed(url, body.WrittenSpan.ToArray());
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            LogSent(UrlValidation.EventName, "challenge", (int)response.StatusCode);
            if (!response.IsSuccessStatusCode)
            {
                return new UrlValidationResult(false, response.StatusCode, $"HTTP {(int)response.StatusCode}: {text}") { PlainToken = token };
            }
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            var plain = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("plainToken", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            var encrypted = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("encryptedToken", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            var detail = plain != token ? "plainToken not echoed"
                : encrypted is null ? "no encryptedToken"
                : !string.Equals(encrypted, expected, StringComparison.Ordinal) ? "encryptedToken is not HMAC-SHA256(secret token, plainToken) in lower-case hex"
                : "validated";
            return new UrlValidationResult(detail == "validated", response.StatusCode, detail) { PlainToken = token, EncryptedToken = encrypted };
        }
        catch (JsonException ex)
        {
            return new UrlValidationResult(false, 0, $"answer is not JSON: {ex.Message}") { PlainToken = token };
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return new UrlValidationResult(false, 0, ex.Message) { PlainToken = token };
        }
    }

    private HttpRequestMessage Signed(Uri url, byte[] body)
    {
        var now = options.TimeProvider.GetUtcNow();
        var timestamp = (options.WebhookTimestampUnit == WebhookTimestampUnit.Milliseconds ? now.ToUnixTimeMilliseconds() : now.ToUnixTimeSeconds())
            .ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.TryAddWithoutValidation("User-Agent", "Zoom Marketplace/1.0a");
        request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, timestamp);
        request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Compute(options.WebhookSecretToken, timestamp, body));
        request.Headers.TryAddWithoutValidation("x-zm-trackingid", "v=2.0&s=" + Guid.NewGuid().ToString("N") + "&c=us");
        return request;
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Webhook {Event} ({Subject}) -> HTTP {Status}")]
    private partial void LogSent(string @event, string subject, int status);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Webhook {Event} ({Subject}) not delivered: {Error}")]
    private partial void LogFailed(string @event, string subject, string error);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Debug, Message = "Webhook {Event} ({Subject}) not sent: no webhook URL configured")]
    private partial void LogNoUrl(string @event, string subject);
}
