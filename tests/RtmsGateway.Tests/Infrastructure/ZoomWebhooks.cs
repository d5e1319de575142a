using System.Globalization;
using System.Text;
using System.Text.Json;
using RtmsGateway.Protocol.Webhooks;

using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Infrastructure;

/// <summary>Builds and posts signed Zoom webhooks the way Zoom does (x-zm-signature over the raw body).</summary>
public static class ZoomWebhooks
{
    public static string Started(string instanceId, string streamId, string signalingUrl, long eventTs = 1_764_000_000_000) =>
        JsonSerializer.Serialize(new
        {
            @event = "meeting.rtms_started",
            event_ts = eventTs,
            payload = new { meeting_uuid = instanceId, operator_id = "op", rtms_stream_id = streamId, server_urls = signalingUrl },
        });

    public static string Interrupted(string instanceId, string streamId, long eventTs) =>
        JsonSerializer.Serialize(new
        {
            @event = "meeting.rtms_interrupted",
            event_ts = eventTs,
            payload = new { meeting_uuid = instanceId, rtms_stream_id = streamId },
        });

    public static string Stopped(string instanceId, string streamId, int stopReason, long eventTs) =>
        JsonSerializer.Serialize(new
        {
            @event = "meeting.rtms_stopped",
            event_ts = eventTs,
            payload = new { meeting_uuid = instanceId, rtms_stream_id = streamId, stop_reason = stopReason },
        });

    public static Task<HttpResponseMessage> PostAsync(
        HttpClient http, Uri url, string body, string? secret = GatewayUnderTest.WebhookSecret, DateTimeOffset? at = null, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (secret is not null)
        {
            var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
            request.Headers.Add(WebhookSignature.SignatureHeader, signature ?? WebhookSignature.Compute(secret, timestamp, Encoding.UTF8.GetBytes(body)));
        }
        return http.SendAsync(request);
    }
}
