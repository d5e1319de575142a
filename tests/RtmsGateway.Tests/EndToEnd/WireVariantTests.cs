using System.Globalization;
using RtmsGateway.Api.V1;
using RtmsGateway.Protocol;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>
/// The gateway against a simulator emitting each documented alternative of the protocol reference (§8) and each webhook
/// body layout: it reaches streaming and subscribers receive the right data. Also the app-scope refusals (§4.2) in
/// unified and split mode. (SessionStopAsReason has no test here: the gateway stops reading signaling at
/// STREAM_STATE_UPDATE TERMINATED, so the SESSION_STATE_UPDATE 5 that follows never reaches subscribers in either form.)
/// </summary>
public sealed class WireVariantTests
{
    private static MeetingOptions Meeting(Action<MeetingOptions>? configure = null)
    {
        var options = new MeetingOptions { Participants = 3, TranscriptInterval = TimeSpan.FromMilliseconds(200) };
        configure?.Invoke(options);
        return options;
    }

    private static SubscriptionTarget Target(SimulatedMeeting meeting, bool fromStart = false) => new() { RtmsStreamId = meeting.StreamId, FromStart = fromStart };

    private static string Text(long userId) => userId.ToString(CultureInfo.InvariantCulture);

    private static async Task<List<AudioFrame>> AudioAsync(GatewayUnderTest gateway, SimulatedMeeting meeting, int count)
    {
        using var call = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Target(meeting) });
        return [.. (await StreamReading.ReadAsync(call.ResponseStream, count, r => r.Frame is not null)).Where(r => r.Frame is not null).Select(r => r.Frame)];
    }

    private static async Task<List<TranscriptSegment>> TranscriptsAsync(GatewayUnderTest gateway, SimulatedMeeting meeting, int count)
    {
        using var call = gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target(meeting) });
        return [.. (await StreamReading.ReadAsync(call.ResponseStream, count, r => r.Segment is not null)).Where(r => r.Segment is not null).Select(r => r.Segment)];
    }

    private static CancellationToken Timeout => new CancellationTokenSource(StreamReading.DefaultTimeout).Token;

    [Fact]
    public async Task Payload_encrypted_flag_in_the_data_handshake_response_streams()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        var meeting = await gateway.StartMeetingAsync(Meeting(o => o.Variants.PayloadEncryptedFlag = true));
        var frames = await AudioAsync(gateway, meeting, 10);
        Assert.All(frames, f => Assert.Equal(640, f.Data.Length));
        Assert.Equal(1, meeting.Counters.ClientReadyAcks);
    }

    [Fact]
    public async Task Webinar_webhooks_with_meeting_uuid_start_a_webinar_session()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        var meeting = await gateway.StartMeetingAsync(Meeting(o =>
        {
            o.Product = SimulatedProduct.Webinar;
            o.Variants.WebinarMeetingUuid = true;
        }));
        Assert.NotEmpty(await AudioAsync(gateway, meeting, 5));
        var session = (await gateway.Client.ListSessionsAsync(new ListSessionsRequest())).Sessions.Single();
        Assert.Equal((meeting.StreamId, meeting.InstanceId, Product.Webinar), (session.RtmsStreamId, session.InstanceId, session.Product));
    }

    [Fact]
    public async Task String_user_ids_arrive_as_the_same_user_id_text()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(settings: new Dictionary<string, string?> { ["Rtms:AudioPerSpeaker"] = "true" });
        var meeting = await gateway.StartMeetingAsync(Meeting(o => o.Variants.UserIdsAsStrings = true));
        var ids = meeting.Participants.ToDictionary(p => Text(p.UserId), p => p.Name);

        var frames = await AudioAsync(gateway, meeting, 20);
        Assert.All(frames, f => Assert.Equal(ids[f.Header.UserId], f.Header.UserName));
        var segments = await TranscriptsAsync(gateway, meeting, 3);
        Assert.All(segments, s => Assert.Equal(ids[s.Header.UserId], s.Header.UserName));

        using var events = gateway.Client.SubscribeEvents(new SubscribeEventsRequest { Target = Target(meeting, fromStart: true) });
        var joined = (await StreamReading.ReadAsync(events.ResponseStream, 1, r => r.Event?.ParticipantsJoined is not null))[^1].Event.ParticipantsJoined;
        Assert.Equal(ids.OrderBy(p => p.Key), joined.Participants.Select(p => KeyValuePair.Create(p.UserId, p.UserName)).OrderBy(p => p.Key));
    }

    [Fact]
    public async Task Multiple_server_urls_are_dialled_at_the_websocket_entry()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        var meeting = await gateway.StartMeetingAsync(Meeting(o => o.Variants.MultipleServerUrls = true));
        Assert.NotEmpty(await AudioAsync(gateway, meeting, 5));
        Assert.Equal((1, 0), (meeting.Counters.SignalingHandshakes, meeting.Counters.SignalingRefused));
    }

    [Theory]
    [InlineData(WebhookBodyStyle.Whitespace)]
    [InlineData(WebhookBodyStyle.ReorderedKeys)]
    [InlineData(WebhookBodyStyle.NonAscii)]
    [InlineData(WebhookBodyStyle.Whitespace | WebhookBodyStyle.ReorderedKeys | WebhookBodyStyle.NonAscii)]
    public async Task Webhook_body_layouts_are_verified_on_the_raw_bytes_and_stream(WebhookBodyStyle style)
    {
        await using var gateway = await GatewayUnderTest.StartAsync(o => o.WebhookBodyStyle = style);
        var meeting = await gateway.StartMeetingAsync(Meeting()); // throws unless rtms_started was answered 200
        using var transcripts = gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target(meeting) });
        await StreamReading.ReadAsync(transcripts.ResponseStream, 2, r => r.Segment is not null);
        Assert.Equal(HttpStatusCode(200), await meeting.StopAsync(StopReason.MeetingEnded, CancellationToken.None));
        Assert.Equal(ZoomStopReason.MeetingEnded, (await StreamReading.ReadToEndAsync(transcripts.ResponseStream))[^1].Ended.StopReason);
        var session = (await gateway.Client.ListSessionsAsync(new ListSessionsRequest { IncludeStopped = true })).Sessions.Single();
        Assert.Equal((SessionState.Stopped, ZoomStopReason.MeetingEnded), (session.State, session.StopReason));
    }

    [Fact]
    public async Task Unified_mode_drops_a_type_outside_the_scopes_and_streams_the_rest()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        var meeting = await gateway.StartMeetingAsync(Meeting(o => o.AppScopes = MediaDataType.Audio | MediaDataType.Video | MediaDataType.Transcript));
        Assert.NotEmpty(await AudioAsync(gateway, meeting, 5));
        Assert.NotEmpty(await TranscriptsAsync(gateway, meeting, 2));
        // The first handshake (audio|video|deskshare|transcript) was refused with 11, the second one without deskshare accepted.
        Assert.Equal((2, 1, 1), (meeting.Counters.MediaHandshakes, meeting.Counters.MediaRefused, meeting.Counters.LiveMediaConnections));
    }

    [Fact]
    public async Task Split_mode_abandons_the_sockets_of_types_outside_the_scopes_and_streams_the_others()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(settings: new Dictionary<string, string?> { ["Rtms:MediaConnectionMode"] = "Split" });
        var meeting = await gateway.StartMeetingAsync(Meeting(o => o.AppScopes = MediaDataType.Audio | MediaDataType.Transcript));
        Assert.NotEmpty(await AudioAsync(gateway, meeting, 5));
        Assert.NotEmpty(await TranscriptsAsync(gateway, meeting, 2));
        // Video and deskshare have no URL of their own, so they are dialled at "all": refused with 10 and 11, abandoned.
        await meeting.WaitForAsync(c => c.MediaRefused >= 2 && c.ClientReadyAcks >= 2, Timeout);
        Assert.Equal((4, 2, 2), (meeting.Counters.MediaHandshakes, meeting.Counters.MediaRefused, meeting.Counters.LiveMediaConnections));
    }

    [Fact]
    public async Task Split_mode_abandons_a_refused_types_socket_and_streams_the_others()
    {
        // An app whose scopes lack audio: the audio socket is refused with 9 (an audio-only refusal).
        await using var gateway = await GatewayUnderTest.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Rtms:MediaConnectionMode"] = "Split",
        });
        var meeting = await gateway.StartMeetingAsync(Meeting(o => o.AppScopes = MediaDataType.Video | MediaDataType.Deskshare | MediaDataType.Transcript | MediaDataType.Chat));
        using var video = gateway.Client.SubscribeVideo(new SubscribeVideoRequest { Target = Target(meeting) });
        Assert.Contains(await StreamReading.ReadAsync(video.ResponseStream, 2, r => r.Frame is not null), r => r.Frame is not null);
        Assert.NotEmpty(await TranscriptsAsync(gateway, meeting, 2));
        await meeting.WaitForAsync(c => c.MediaRefused >= 1 && c.ClientReadyAcks >= 3, Timeout);
        // Video, deskshare (at the "all" URL) and transcripts stream; audio was refused once and not retried.
        Assert.Equal((4, 1, 3), (meeting.Counters.MediaHandshakes, meeting.Counters.MediaRefused, meeting.Counters.LiveMediaConnections));
    }

    private static System.Net.HttpStatusCode HttpStatusCode(int code) => (System.Net.HttpStatusCode)code;
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_session_stop_reason_arrives_as_stop_reason_whichever_field_carries_it(bool asReason)
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        var meeting = await gateway.StartMeetingAsync(Meeting(o => o.Variants.SessionStopAsReason = asReason));
        using var events = gateway.Client.SubscribeEvents(new SubscribeEventsRequest { Target = Target(meeting, fromStart: true) });
        await StreamReading.ReadAsync(events.ResponseStream, 1, r => r.Event?.SessionStateChanged?.State == ZoomSessionState.Started);
        await meeting.StopAsync(StopReason.UserLeft, CancellationToken.None);
        var tail = await StreamReading.ReadToEndAsync(events.ResponseStream);
        var stopped = tail.Where(r => r.Event?.SessionStateChanged?.State == ZoomSessionState.Stopped).Select(r => r.Event.SessionStateChanged).Single();
        Assert.Equal((meeting.RtmsSessionId, ZoomStopReason.UserLeft), (stopped.RtmsSessionId, stopped.StopReason));
    }
}
