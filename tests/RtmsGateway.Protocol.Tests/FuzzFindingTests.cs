using System.Text;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Protocol.Tests;

/// <summary>
/// What the fuzzers (tests/RtmsGateway.Fuzzing) found, each kept as a fixed input: a frame or webhook body either parses
/// into a message that honours its nullability, or fails with an <see cref="RtmsProtocolException"/>.
/// </summary>
public sealed class FuzzFindingTests
{
    private static readonly RtmsMessageReader Pooled = new(allocation: MediaPayloadAllocation.Pooled);

    private static RtmsMessage Read(string json) => Pooled.Read(Encoding.UTF8.GetBytes(json));

    private static RtmsProtocolException Refused(string json) => Refused(Encoding.UTF8.GetBytes(json));

    private static RtmsProtocolException Refused(byte[] frame) => Assert.Throws<RtmsProtocolException>(() => Pooled.Read(frame));

    [Fact]
    public void Disposing_a_frame_with_empty_data_leaves_later_empty_frames_readable()
    {
        // The shared empty payload was disposed by the first such frame; every later one then threw ObjectDisposedException.
        var first = Assert.IsType<MediaDataMessage>(Read("""{"msg_type":14,"content":{"user_id":1,"data":"","timestamp":1}}"""));
        first.Dispose();
        using var second = Assert.IsType<MediaDataMessage>(Read("""{"msg_type":14,"content":{"user_id":1,"data":"","timestamp":2}}"""));
        Assert.Equal(0, second.Payload.Memory.Length);
        using var transcript = Assert.IsType<MediaDataMessage>(Read("""{"msg_type":17,"content":{"user_id":1,"data":"hello","timestamp":3}}"""));
        Assert.Equal("hello", transcript.Text);
    }

    [Theory]
    [InlineData("""{"msg_type":7,"rtms_stream_id":null,"meeting_uuid":"m"}""")]
    [InlineData("""{"msg_type":6,"event":null}""")]
    public void A_null_where_the_message_requires_a_value_is_refused(string json) => Refused(json);

    [Fact]
    public void Null_entries_in_lists_and_maps_are_dropped()
    {
        var subscription = Assert.IsType<EventSubscription>(Read("""{"msg_type":5,"events":[null,{"event_type":2,"subscribe":true},null]}"""));
        Assert.Single(subscription.Events);
        Assert.Empty(Assert.IsType<EventSubscription>(Read("""{"msg_type":5,"events":null}""")).Events);

        var update = Assert.IsType<EventUpdate>(Read("""{"msg_type":6,"event":{"event_type":4,"timestamp":1,"participants":[null,{"user_id":7,"user_name":"A"}]}}"""));
        Assert.Equal(7, Assert.Single(update.Event.Participants!).UserId.Number);

        var response = Assert.IsType<SignalingHandshakeResponse>(Read("""{"msg_type":2,"status_code":0,"media_server":{"server_urls":{"audio":null,"all":"wss://a"}}}"""));
        Assert.Equal("wss://a", response.MediaServer!.UrlFor(MediaServerKeys.Audio));
        Assert.Equal(["all"], response.MediaServer.ServerUrls.Keys);
        var noUrls = Assert.IsType<SignalingHandshakeResponse>(Read("""{"msg_type":2,"status_code":0,"media_server":{"server_urls":null}}"""));
        Assert.Empty(noUrls.MediaServer!.ServerUrls);
    }

    [Theory]
    [InlineData("""{"msg_type":6,"event":{"event_type":2,"new_field":"\udfff"}}""")]
    [InlineData("""{"msg_type":6,"event":{"event_type":2,"user_name":"\ud800"}}""")]
    [InlineData("""{"msg_type":12,"\udc00":1}""")]
    public void Text_that_is_not_valid_unicode_is_a_typed_error(string json) => Refused(json);

    [Fact]
    public void An_invalid_utf8_property_name_is_a_typed_error() =>
        Refused([.. "{\"msg_type\":12,\""u8, 0xC3, 0x28, .. "\":1}"u8]);

    [Fact]
    public void A_webhook_body_that_is_not_utf8_is_malformed()
    {
        byte[] body = [.. "{\"event\":\"meeting.rtms_started\",\"payload\":{\"meeting_uuid\":\""u8, 0xFF, 0xFE,
            .. "\",\"rtms_stream_id\":\"s\",\"server_urls\":\"wss://a\"}}"u8];
        Assert.Equal(RtmsProtocolError.MalformedJson, Assert.Throws<RtmsProtocolException>(() => ZoomWebhookParser.Parse(body)).Error);
    }

    [Theory]
    [InlineData("""{"event":"meeting.rtms_started","payload":{"meeting_uuid":"\ud800","rtms_stream_id":"s","server_urls":"wss://a"}}""")]
    [InlineData("""{"event":"meeting.rtms_\udfffstarted","payload":{"meeting_uuid":"m","rtms_stream_id":"s","server_urls":"wss://a"}}""")]
    [InlineData("""{"event":"meeting.rtms_started","payload":{"meeting_uuid":"m","rtms_stream_id":"s","server_urls":["wss://a","\udc01"]}}""")]
    [InlineData("""{"event":"meeting.rtms_started","event_ts":"\ud800","payload":{"meeting_uuid":"m","rtms_stream_id":"s","server_urls":"wss://a"}}""")]
    public void A_webhook_with_a_lone_surrogate_in_a_required_field_is_a_typed_error(string json) =>
        Assert.Equal(RtmsProtocolError.InvalidField, Assert.Throws<RtmsProtocolException>(() => ZoomWebhookParser.Parse(Encoding.UTF8.GetBytes(json))).Error);

    [Fact]
    public void A_lone_surrogate_in_a_descriptive_webhook_field_costs_only_that_field()
    {
        var evt = ZoomWebhookParser.Parse(Encoding.UTF8.GetBytes(
            """{"event":"meeting.rtms_started","payload":{"meeting_uuid":"m","operator_id":"\udfff","rtms_stream_id":"s","server_urls":"wss://a"}}"""));
        Assert.Equal(WebhookEventKind.RtmsStarted, evt.Kind);
        Assert.Equal("m", evt.InstanceId);
        Assert.Null(evt.OperatorId);
    }
}
