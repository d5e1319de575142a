using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace RtmsGateway.Protocol.Webhooks;

/// <summary>
/// Parses a Zoom webhook body (§2.1–2.2). Fields are looked up directly under <c>payload</c> and then under
/// <c>payload.object</c> (both shapes occur, §8); webinar ids are read from <c>meeting_uuid</c> or <c>webinar_uuid</c>;
/// ids and numbers may be JSON numbers or strings. Failures are <see cref="RtmsProtocolException"/>s.
/// </summary>
public static class ZoomWebhookParser
{
    public static ZoomWebhookEvent Parse(ReadOnlySpan<byte> body)
    {
        if (!Utf8.IsValid(body))
        {
            throw new RtmsProtocolException(RtmsProtocolError.MalformedJson, "Webhook body is not valid UTF-8.");
        }
        try
        {
            return ParseValid(body);
        }
        catch (InvalidOperationException ex)
        {
            // System.Text.Json reports text it cannot transcode (a lone surrogate escape, say) this way.
            throw new RtmsProtocolException(RtmsProtocolError.InvalidField, $"Webhook body has text that is not valid Unicode: {ex.Message}", ex);
        }
    }

    private static ZoomWebhookEvent ParseValid(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 32 });
            document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                throw new RtmsProtocolException(RtmsProtocolError.MalformedJson, "Trailing content after the webhook body.");
            }
        }
        catch (JsonException ex)
        {
            throw new RtmsProtocolException(RtmsProtocolError.MalformedJson, $"Webhook body is not valid JSON: {ex.Message}", ex);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new RtmsProtocolException(RtmsProtocolError.NotAnObject, "Webhook body is not a JSON object.");
            }
            var name = root.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.String ? Text(e, "event") : null;
            if (string.IsNullOrEmpty(name))
            {
                throw new RtmsProtocolException(RtmsProtocolError.MissingField, "Webhook has no \"event\" string.");
            }
            var payload = root.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
            if (payload.ValueKind != JsonValueKind.Object)
            {
                throw new RtmsProtocolException(RtmsProtocolError.MissingField, $"{name}: webhook has no \"payload\" object.");
            }
            var fields = new PayloadFields(payload);
            var kind = KindOf(name);
            var evt = new ZoomWebhookEvent
            {
                Event = name,
                EventTimestamp = root.TryGetProperty("event_ts", out var ts) ? AsInt64(ts, "event_ts") ?? 0 : 0,
                Kind = kind,
                Product = ProductOf(name),
                InstanceId = fields.String("meeting_uuid") ?? fields.String("webinar_uuid") ?? fields.String("session_id") ?? fields.String("engagement_id") ?? fields.String("call_id"),
                RtmsStreamId = fields.String("rtms_stream_id"),
                ServerUrls = fields.Urls("server_urls"),
                // Descriptive fields are read best-effort: a surprise in one of them must not cost the stream (Zoom's
                // retry of a refused rtms_started comes minutes later, after its audio buffer is gone).
                OperatorId = Optional(() => fields.String("operator_id")),
                AccountId = Optional(() => fields.String("account_id")),
                MeetingId = Optional(() => fields.Int64("meeting_id")) ?? Optional(() => fields.Int64("webinar_id")),
                SessionKey = Optional(() => fields.String("session_key")),
                IsOriginalHost = Optional(() => fields.Bool("is_original_host")),
                StopReason = Optional(() => fields.StopReason("stop_reason")),
                PlainToken = fields.String("plainToken"),
                ConcurrencyLimit = (int?)Optional(() => fields.Int64("concurrency_limit")),
                ConcurrencyNumber = (int?)Optional(() => fields.Int64("concurrency_number")),
                Percentage = (int?)Optional(() => fields.Int64("percentage")),
            };
            Require(evt);
            return evt;
        }
    }

    public static WebhookEventKind KindOf(string eventName)
    {
        if (eventName == UrlValidation.EventName)
        {
            return WebhookEventKind.UrlValidation;
        }
        var action = eventName[(eventName.LastIndexOf('.') + 1)..];
        return action switch
        {
            "rtms_started" or "voice_rtms_started" => WebhookEventKind.RtmsStarted,
            "rtms_stopped" or "voice_rtms_stopped" => WebhookEventKind.RtmsStopped,
            "rtms_interrupted" or "voice_rtms_interrupted" => WebhookEventKind.RtmsInterrupted,
            "concurrency_near_limit" => WebhookEventKind.ConcurrencyNearLimit,
            "concurrency_limited" => WebhookEventKind.ConcurrencyLimited,
            "start_failed" => WebhookEventKind.StartFailed,
            _ => WebhookEventKind.Other,
        };
    }

    public static RtmsProduct ProductOf(string eventName) => eventName[..Math.Max(0, eventName.IndexOf('.'))] switch
    {
        "meeting" => RtmsProduct.Meeting,
        "webinar" => RtmsProduct.Webinar,
        "session" => RtmsProduct.VideoSdk,
        "contact_center" => RtmsProduct.ContactCenter,
        "phone" => RtmsProduct.Phone,
        _ => RtmsProduct.Unknown,
    };

    private static void Require(ZoomWebhookEvent evt)
    {
        string? missing = evt.Kind switch
        {
            WebhookEventKind.UrlValidation when evt.PlainToken is null => "plainToken",
            WebhookEventKind.RtmsStarted when evt.RtmsStreamId is null => "rtms_stream_id",
            WebhookEventKind.RtmsStarted when evt.InstanceId is null => "meeting_uuid (or webinar_uuid, session_id, engagement_id, call_id)",
            WebhookEventKind.RtmsStarted when evt.ServerUrls.Count == 0 => "server_urls",
            WebhookEventKind.RtmsStopped or WebhookEventKind.RtmsInterrupted when evt.RtmsStreamId is null => "rtms_stream_id",
            _ => null,
        };
        if (missing is not null)
        {
            throw new RtmsProtocolException(RtmsProtocolError.MissingField, $"{evt.Event}: payload has no {missing}.");
        }
    }

    /// <summary>The field's value, or null when it has an unexpected type.</summary>
    private static T? Optional<T>(Func<T?> read) where T : struct
    {
        try
        {
            return read();
        }
        catch (RtmsProtocolException)
        {
            return null;
        }
    }

    private static string? Optional(Func<string?> read)
    {
        try
        {
            return read();
        }
        catch (RtmsProtocolException)
        {
            return null;
        }
    }

    private static long? AsInt64(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var n) => n,
        JsonValueKind.Number when value.TryGetDouble(out var d) && double.IsFinite(d) && Math.Abs(d) < 9e15 => (long)Math.Round(d, MidpointRounding.AwayFromZero),
        JsonValueKind.String when long.TryParse(Text(value, field), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s) => s,
        JsonValueKind.Null => null,
        _ => throw new RtmsProtocolException(RtmsProtocolError.InvalidField, $"{field} must be an integer."),
    };

    /// <summary>A string's value; text that is not valid Unicode (a lone surrogate escape) is an invalid field.</summary>
    private static string Text(JsonElement value, string field)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw new RtmsProtocolException(RtmsProtocolError.InvalidField, $"{field} is not valid Unicode text.", ex);
        }
    }

    /// <summary>Looks a field up in <c>payload</c>, then in <c>payload.object</c>.</summary>
    private readonly struct PayloadFields(JsonElement payload)
    {
        private readonly JsonElement _object = payload.TryGetProperty("object", out var o) && o.ValueKind == JsonValueKind.Object ? o : default;

        private bool TryGet(string name, out JsonElement value)
        {
            if (payload.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
            {
                return true;
            }
            return _object.ValueKind == JsonValueKind.Object && _object.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
        }

        public string? String(string name) => !TryGet(name, out var v) ? null : v.ValueKind switch
        {
            JsonValueKind.String => Text(v, name) is { Length: > 0 } s ? s : null,
            JsonValueKind.Number => v.GetRawText(),
            _ => throw new RtmsProtocolException(RtmsProtocolError.InvalidField, $"{name} must be a string."),
        };

        public long? Int64(string name) => TryGet(name, out var v) ? AsInt64(v, name) : null;

        /// <summary>A number, or a name (<see cref="StopReasonText"/>).</summary>
        public StopReason? StopReason(string name) => !TryGet(name, out var v) ? null
            : v.ValueKind == JsonValueKind.String ? StopReasonText.Parse(Text(v, name))
            : (StopReason?)AsInt64(v, name);

        public bool? Bool(string name) => !TryGet(name, out var v) ? null : v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(Text(v, name), out var b) => b,
            JsonValueKind.Number when v.TryGetInt32(out var n) && n is 0 or 1 => n == 1,
            _ => throw new RtmsProtocolException(RtmsProtocolError.InvalidField, $"{name} must be a boolean."),
        };

        public IReadOnlyList<string> Urls(string name)
        {
            if (!TryGet(name, out var v))
            {
                return [];
            }
            IEnumerable<string?> raw = v.ValueKind switch
            {
                JsonValueKind.String => Text(v, name).Split(','),
                JsonValueKind.Array => v.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? Text(x, name) : null).ToList(),
                _ => throw new RtmsProtocolException(RtmsProtocolError.InvalidField, $"{name} must be a string or an array of strings."),
            };
            return [.. raw.Select(u => u?.Trim()).Where(u => !string.IsNullOrEmpty(u)).Select(u => u!)];
        }
    }
}
