using System.Text.Json.Nodes;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator.Tests;

/// <summary>Contact Center voice streams (§2.2, §3.6, §4.6): engagement_id webhooks, ZCC voice events, channel_id.</summary>
public sealed class ContactCenterTests : IAsyncLifetime
{
    private SimulatorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static MeetingOptions Call()
    {
        var options = SimulatorHarness.FastMeeting();
        options.Product = SimulatedProduct.ContactCenter;
        options.Participants = 2;
        return options;
    }

    [Fact]
    public async Task Webhooks_are_contact_center_voice_events_with_the_engagement_id()
    {
        var (meeting, started) = await _harness.StartMeetingAsync(Call());
        Assert.Equal("contact_center.voice_rtms_started", started.Event);
        Assert.Equal(RtmsGateway.Protocol.Webhooks.WebhookSignatureResult.Valid, started.Signature);
        Assert.Equal(meeting.InstanceId, (string)started.Field("engagement_id")!);
        Assert.Null(started.Field("meeting_uuid"));
        Assert.Equal(_harness.Simulator.SignalingUri.ToString(), (string)started.Field("server_urls")!);
        var (signaling, _) = await _harness.SignalAsync(meeting); // the handshake is signed with the engagement_id
        await using var s = signaling;
        await meeting.Faults.DropSignalingAsync();
        Assert.Equal("contact_center.voice_rtms_interrupted", (await _harness.Inbox.ExpectAsync("rtms_interrupted", meeting.StreamId)).Event);
        await meeting.StopAsync(StopReason.CustomerDisconnected);
        var stopped = await _harness.Inbox.ExpectAsync("rtms_stopped", meeting.StreamId);
        Assert.Equal(("contact_center.voice_rtms_stopped", meeting.InstanceId, 21), (stopped.Event, (string)stopped.Field("engagement_id")!, (int)stopped.Field("stop_reason")!));
    }

    [Fact]
    public async Task Zcc_voice_events_are_event_updates_timed_by_event_ts_and_audio_and_transcripts_carry_string_channel_ids()
    {
        var (meeting, _) = await _harness.StartMeetingAsync(Call());
        var (signaling, response) = await _harness.SignalAsync(meeting, events: [10, 12]);
        await using var s = signaling;
        var (media, _) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "all", 32, new JsonObject { ["audio"] = new JsonObject { ["data_opt"] = 2 } });
        await using var m = media;
        using (var timeout = new CancellationTokenSource(RawRtmsClient.Timeout))
        {
            await meeting.WaitForStreamingAsync(timeout.Token); // the ACK was processed: event 1 went out
        }
        var agent = meeting.Participants[1];
        await meeting.SendContactCenterEventAsync(ZccVoiceEventType.UserAnswered, agent);
        await meeting.SendContactCenterEventAsync(ZccVoiceEventType.UserHold);
        await meeting.SetVideoAsync(agent.UserId, on: false); // meeting event 9 would read as CONSUMER_END here: not sent
        var seen = await signaling.ReadUntilAsync(x => RawRtmsClient.MsgType(x) == 6 && (int)x["event"]!["event_type"]! == 12, 1, "USER_HOLD");
        var events = seen.FindAll(x => RawRtmsClient.MsgType(x) == 6).Select(x => x["event"]!).ToList();
        Assert.Equal([1, 10, 12], events.Select(e => (int)e["event_type"]!));
        // The Contact Center events page: event_ts (not timestamp) and the party in participant_info.
        Assert.All(events.Skip(1), e => Assert.True((long)e["event_ts"]! > 1_600_000_000_000 && e["timestamp"] is null));
        var party = events[1]["participant_info"]!;
        Assert.Equal((agent.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture), agent.Name, "2abc", "agent"),
            ((string)party["user_id"]!, (string)party["display_name"]!, (string)party["channel_id"]!, (string)party["participant_mode"]!));
        Assert.Null(events[2]["participant_info"]);
        Assert.DoesNotContain(await signaling.RoundTripAsync(meeting.StreamId), x => RawRtmsClient.MsgType(x) == 6);

        // channel_id is a string, as in Zoom's tables and examples ("123abc").
        var audio = await media.CollectAsync(x => RawRtmsClient.MsgType(x) == 14, 6, "audio");
        Assert.Equal(["1abc", "2abc"], audio.Select(a => (string)a["content"]!["channel_id"]!).Distinct().Order());
        var transcript = (await media.ExpectAsync(17))["content"]!;
        var speaker = meeting.Participants.Single(p => p.UserId == (long)transcript["user_id"]!);
        Assert.Equal(meeting.ChannelOf(speaker)!.Text, (string)transcript["channel_id"]!);
        Assert.Equal($"{meeting.Participants.ToList().IndexOf(speaker) + 1}abc", (string)transcript["channel_id"]!);
    }

    [Fact]
    public async Task Numeric_channel_ids_are_a_variant_and_codes_up_to_34_are_sent_when_subscribed()
    {
        var options = Call();
        options.Variants.NumericChannelIds = true;
        var (meeting, _) = await _harness.StartMeetingAsync(options);
        var (signaling, response) = await _harness.SignalAsync(meeting, events: [30, 34]);
        await using var s = signaling;
        var (media, _) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "all", 32, new JsonObject { ["audio"] = new JsonObject { ["data_opt"] = 2 } });
        await using var m = media;
        using (var timeout = new CancellationTokenSource(RawRtmsClient.Timeout))
        {
            await meeting.WaitForStreamingAsync(timeout.Token);
        }
        await meeting.SendContactCenterEventAsync((ZccVoiceEventType)33); // not subscribed
        await meeting.SendContactCenterEventAsync((ZccVoiceEventType)34, meeting.Participants[0]);
        var seen = await signaling.ReadUntilAsync(x => RawRtmsClient.MsgType(x) == 6 && (int)x["event"]!["event_type"]! == 34, 1, "event 34");
        var last = seen[^1]["event"]!;
        Assert.Equal((1, "caller"), ((int)last["participant_info"]!["channel_id"]!, (string)last["participant_info"]!["participant_mode"]!));
        Assert.DoesNotContain(seen, x => RawRtmsClient.MsgType(x) == 6 && (int)x["event"]!["event_type"]! == 33);
        var audio = await media.CollectAsync(x => RawRtmsClient.MsgType(x) == 14, 6, "audio");
        Assert.Equal([1, 2], audio.Select(a => (int)a["content"]!["channel_id"]!).Distinct().Order());
    }

    [Fact]
    public async Task Meetings_have_no_channel_id()
    {
        await using var session = await _harness.StreamingAsync();
        Assert.Null((await session.Media.ExpectAsync(14))["content"]!["channel_id"]);
        Assert.Null((await session.Media.ExpectAsync(17))["content"]!["channel_id"]);
    }
}
