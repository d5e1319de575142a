using RtmsGateway.Api.V1;
using RtmsGateway.Protocol;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>A Contact Center voice stream (<c>contact_center.voice_rtms_started</c>) through the gateway.</summary>
public sealed class ContactCenterTests
{
    [Fact]
    public async Task A_voice_stream_is_a_contact_center_session_with_channel_ids_and_voice_events_as_other_events()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        var call = await gateway.StartMeetingAsync(new MeetingOptions { Product = SimulatedProduct.ContactCenter, Participants = 2, TranscriptInterval = TimeSpan.FromMilliseconds(200) });
        var target = new SubscriptionTarget { RtmsStreamId = call.StreamId };

        var session = (await gateway.Client.ListSessionsAsync(new ListSessionsRequest())).Sessions.Single();
        Assert.Equal((Product.ContactCenter, call.InstanceId), (session.Product, session.InstanceId));

        using (var audio = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = target }))
        {
            // channel_id is a string by default, as in Zoom's tables and examples ("123abc"): channel carries it, channel_id
            // (numeric only) is 0.
            var frames = (await StreamReading.ReadAsync(audio.ResponseStream, 10, r => r.Frame is not null)).Where(r => r.Frame is not null).ToList();
            Assert.All(frames, f => Assert.Matches("^[12]abc$", f.Frame.Channel));
            Assert.All(frames, f => Assert.Equal(0, f.Frame.ChannelId));
        }
        using (var transcripts = gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = target }))
        {
            var segment = (await StreamReading.ReadAsync(transcripts.ResponseStream, 1, r => r.Segment is not null))[^1].Segment;
            var speaker = call.Participants.Single(p => p.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture) == segment.Header.UserId);
            Assert.Equal((call.ChannelOf(speaker)!.Text, 0), (segment.Channel, segment.ChannelId));
        }

        // From the start: the events below are in the session's history even if the call registers after they were sent.
        using var events = gateway.Client.SubscribeEvents(new SubscribeEventsRequest { Target = new SubscriptionTarget { RtmsStreamId = call.StreamId, FromStart = true } });
        var agent = call.Participants[1];
        // 8 CONSUMER_ANSWERED and 12 USER_HOLD share their numbers with meeting events 8 (video on) and 12 (chat group):
        // for Contact Center they are voice events, delivered as OtherEvent.
        await call.SendContactCenterEventAsync(ZccVoiceEventType.ConsumerAnswered);
        await call.SendContactCenterEventAsync(ZccVoiceEventType.UserAnswered, agent);
        await call.SendContactCenterEventAsync(ZccVoiceEventType.UserHold);
        var seen = await StreamReading.ReadAsync(events.ResponseStream, 1, r => r.Event?.Other?.EventType == (int)ZccVoiceEventType.UserHold);
        Assert.Equal([8, 10, 12], seen.Where(r => r.Event?.Other is { EventType: >= 8 }).Select(r => r.Event.Other.EventType));
        Assert.DoesNotContain(seen, r => r.Event?.ParticipantVideoChanged is not null);
        var answered = seen.Single(r => r.Event?.Other?.EventType == 10).Event;
        Assert.Contains(agent.Name, answered.Other.RawJson, StringComparison.Ordinal);
        // ZCC events carry event_ts (not timestamp): it is the event's Zoom time.
        Assert.All(seen.Where(r => r.Event?.Other is { EventType: >= 8 }), r => Assert.True(r.Event.Header.ZoomTimestampMs > 1_600_000_000_000));
        Assert.Contains("\"event_ts\"", answered.Other.RawJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Numeric_channel_ids_fill_channel_id_too_and_every_documented_zcc_code_up_to_34_is_subscribed()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        var options = new MeetingOptions { Product = SimulatedProduct.ContactCenter, Participants = 2 };
        options.Variants.NumericChannelIds = true;
        var call = await gateway.StartMeetingAsync(options);
        var target = new SubscriptionTarget { RtmsStreamId = call.StreamId, FromStart = true };
        using (var audio = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = target }))
        {
            var frames = (await StreamReading.ReadAsync(audio.ResponseStream, 10, r => r.Frame is not null)).Where(r => r.Frame is not null).ToList();
            Assert.All(frames, f => Assert.Equal(f.Frame.ChannelId.ToString(System.Globalization.CultureInfo.InvariantCulture), f.Frame.Channel));
            Assert.All(frames, f => Assert.InRange(f.Frame.ChannelId, 1, 2));
        }
        using var events = gateway.Client.SubscribeEvents(new SubscribeEventsRequest { Target = target });
        await call.SendContactCenterEventAsync(ZccVoiceEventType.ConferenceParticipantLeft, call.Participants[0]);
        await call.SendContactCenterEventAsync((ZccVoiceEventType)34);
        var seen = await StreamReading.ReadAsync(events.ResponseStream, 1, r => r.Event?.Other?.EventType == 34);
        Assert.Equal([29, 34], seen.Where(r => r.Event?.Other is { EventType: >= 8 }).Select(r => r.Event.Other.EventType));
        Assert.All(seen.Where(r => r.Event?.Other is { EventType: >= 8 }), r => Assert.True(r.Event.Header.ZoomTimestampMs > 1_600_000_000_000));
    }
}
