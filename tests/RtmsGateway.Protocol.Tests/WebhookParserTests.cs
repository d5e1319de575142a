using System.Text;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Protocol.Tests;

/// <summary>Webhook bodies of every product and both payload shapes.</summary>
public sealed class WebhookParserTests
{
    private static ZoomWebhookEvent Parse(string json) => ZoomWebhookParser.Parse(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("""{"event":"meeting.rtms_started","event_ts":1,"payload":{"meeting_uuid":"m==","operator_id":"op","rtms_stream_id":"s","server_urls":"wss://a"}}""", RtmsProduct.Meeting, "m==")]
    [InlineData("""{"event":"meeting.rtms_started","event_ts":1,"payload":{"account_id":"acc","object":{"meeting_uuid":"m==","rtms_stream_id":"s","server_urls":"wss://a"}}}""", RtmsProduct.Meeting, "m==")]
    [InlineData("""{"event":"webinar.rtms_started","event_ts":1,"payload":{"webinar_uuid":"w==","rtms_stream_id":"s","server_urls":"wss://a"}}""", RtmsProduct.Webinar, "w==")]
    [InlineData("""{"event":"webinar.rtms_started","event_ts":1,"payload":{"meeting_uuid":"w2==","rtms_stream_id":"s","server_urls":"wss://a"}}""", RtmsProduct.Webinar, "w2==")]
    [InlineData("""{"event":"session.rtms_started","event_ts":1,"payload":{"session_id":"vs","session_key":"k","rtms_stream_id":"s","server_urls":"wss://a"}}""", RtmsProduct.VideoSdk, "vs")]
    [InlineData("""{"event":"contact_center.voice_rtms_started","event_ts":1,"payload":{"engagement_id":"e1","rtms_stream_id":"s","server_urls":"wss://a"}}""", RtmsProduct.ContactCenter, "e1")]
    [InlineData("""{"event":"phone.rtms_started","event_ts":1,"payload":{"call_id":"c1","rtms_stream_id":"s","server_urls":"wss://a"}}""", RtmsProduct.Phone, "c1")]
    public void Started_events_of_every_product_and_shape(string json, RtmsProduct product, string instance)
    {
        var evt = Parse(json);
        Assert.Equal(WebhookEventKind.RtmsStarted, evt.Kind);
        Assert.Equal(product, evt.Product);
        Assert.Equal(instance, evt.InstanceId);
        Assert.Equal("s", evt.RtmsStreamId);
        Assert.Equal("wss://a", evt.SelectSignalingUrl(allowInsecure: false));
    }

    [Fact]
    public void Stopped_interrupted_and_concurrency_events()
    {
        var stopped = Parse("""{"event":"meeting.rtms_stopped","event_ts":2,"payload":{"meeting_uuid":"m","rtms_stream_id":"s","stop_reason":"6"}}""");
        Assert.Equal((WebhookEventKind.RtmsStopped, StopReason.MeetingEnded), (stopped.Kind, stopped.StopReason!.Value));
        Assert.Equal(WebhookEventKind.RtmsInterrupted, Parse("""{"event":"session.rtms_interrupted","payload":{"session_id":"x","rtms_stream_id":"s"}}""").Kind);
        var near = Parse("""{"event":"rtms.concurrency_near_limit","payload":{"concurrency_limit":2000,"concurrency_number":1601,"percentage":80}}""");
        Assert.Equal((WebhookEventKind.ConcurrencyNearLimit, 2000, 1601, 80), (near.Kind, near.ConcurrencyLimit!.Value, near.ConcurrencyNumber!.Value, near.Percentage!.Value));
        Assert.Equal(WebhookEventKind.UrlValidation, Parse("""{"event":"endpoint.url_validation","payload":{"plainToken":"abc"}}""").Kind);
        Assert.Equal(WebhookEventKind.Other, Parse("""{"event":"meeting.started","payload":{}}""").Kind);
    }

    [Fact]
    public void Descriptive_fields_of_unexpected_types_are_dropped_not_fatal()
    {
        var started = Parse("""{"event":"meeting.rtms_started","payload":{"meeting_uuid":"m","rtms_stream_id":"s","server_urls":"wss://a","meeting_id":"not a number","is_original_host":1,"operator_id":{"id":"op"},"account_id":["acc"]}}""");
        Assert.Equal(("m", "s"), (started.InstanceId, started.RtmsStreamId));
        Assert.Null(started.MeetingId);
        Assert.True(started.IsOriginalHost);
        Assert.Null(started.OperatorId);
        Assert.Null(started.AccountId);
        var near = Parse("""{"event":"rtms.concurrency_near_limit","payload":{"concurrency_limit":2000,"concurrency_number":1610,"percentage":80.5}}""");
        Assert.Equal(81, near.Percentage);
    }

    [Fact]
    public void Server_urls_prefer_wss_and_allow_ws_only_when_insecure_is_allowed()
    {
        var evt = Parse("""{"event":"meeting.rtms_started","payload":{"meeting_uuid":"m","rtms_stream_id":"s","server_urls":"srt://x:1, ws://local/sig ,wss://zoom/sig"}}""");
        Assert.Equal(["srt://x:1", "ws://local/sig", "wss://zoom/sig"], evt.ServerUrls);
        Assert.Equal("wss://zoom/sig", evt.SelectSignalingUrl(allowInsecure: true));
        var insecure = Parse("""{"event":"meeting.rtms_started","payload":{"meeting_uuid":"m","rtms_stream_id":"s","server_urls":["ws://local/sig"]}}""");
        Assert.Null(insecure.SelectSignalingUrl(allowInsecure: false));
        Assert.Equal("ws://local/sig", insecure.SelectSignalingUrl(allowInsecure: true));
    }

    [Theory]
    [InlineData("""{"event":"meeting.rtms_started","payload":{"rtms_stream_id":"s","server_urls":"wss://a"}}""", RtmsProtocolError.MissingField)]
    [InlineData("""{"event":"meeting.rtms_started","payload":{"meeting_uuid":"m","server_urls":"wss://a"}}""", RtmsProtocolError.MissingField)]
    [InlineData("""{"event":"meeting.rtms_started","payload":{"meeting_uuid":"m","rtms_stream_id":"s"}}""", RtmsProtocolError.MissingField)]
    [InlineData("""{"event":"meeting.rtms_stopped","payload":{"meeting_uuid":"m"}}""", RtmsProtocolError.MissingField)]
    [InlineData("""{"payload":{}}""", RtmsProtocolError.MissingField)]
    [InlineData("""{"event":"meeting.rtms_started"}""", RtmsProtocolError.MissingField)]
    [InlineData("""[{"event":"x"}]""", RtmsProtocolError.NotAnObject)]
    [InlineData("""{"event":"meeting.rtms_started","payload":""", RtmsProtocolError.MalformedJson)]
    [InlineData("""{"event":"meeting.rtms_started","payload":{"meeting_uuid":"m","rtms_stream_id":"s","server_urls":5}}""", RtmsProtocolError.InvalidField)]
    public void Bad_bodies_are_typed_errors(string json, RtmsProtocolError expected) =>
        Assert.Equal(expected, Assert.Throws<RtmsProtocolException>(() => Parse(json)).Error);
}
