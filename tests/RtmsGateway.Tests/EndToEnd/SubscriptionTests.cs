using Grpc.Core;
using RtmsGateway.Api.V1;
using RtmsGateway.Sessions;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>Each Subscribe* call delivers the simulator's media, in order, with the documented metadata.</summary>
public sealed class SubscriptionTests : IAsyncLifetime
{
    private GatewayUnderTest _gateway = null!;
    private SimulatedMeeting _meeting = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayUnderTest.StartAsync();
        _meeting = await _gateway.StartMeetingAsync(new MeetingOptions { Participants = 3, TranscriptInterval = TimeSpan.FromMilliseconds(200) });
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private SubscriptionTarget Target(bool fromStart = false) => new() { RtmsStreamId = _meeting.StreamId, FromStart = fromStart };

    [Fact]
    public async Task Audio_frames_arrive_in_order_as_16_bit_pcm_of_20_ms()
    {
        using var call = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Target() });
        var frames = (await StreamReading.ReadAsync(call.ResponseStream, 50, r => r.Frame is not null))
            .Where(r => r.Frame is not null).Select(r => r.Frame).ToList();

        Assert.All(frames, f =>
        {
            Assert.Equal(AudioCodec.L16, f.Format.Codec);
            Assert.Equal(16000u, f.Format.SampleRateHz);
            Assert.Equal(1u, f.Format.Channels);
            Assert.Equal(20u, f.Format.FrameDurationMs);
            Assert.Equal(640, f.Data.Length);
            Assert.NotNull(f.Header.ReceivedAt);
        });
        var sequences = frames.Select(f => f.Header.Sequence).ToList();
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => sequences[0] + (ulong)i), sequences);
        var zoomTimes = frames.Select(f => f.Header.ZoomTimestampMs).ToList();
        Assert.Equal(zoomTimes.OrderBy(t => t), zoomTimes);
    }

    [Fact]
    public async Task Video_frames_are_jpeg_images()
    {
        using var call = _gateway.Client.SubscribeVideo(new SubscribeVideoRequest { Target = Target() });
        var frames = (await StreamReading.ReadAsync(call.ResponseStream, 3, r => r.Frame is not null))
            .Where(r => r.Frame is not null).Select(r => r.Frame).ToList();
        Assert.All(frames, f =>
        {
            Assert.Equal(VideoSource.Camera, f.Source);
            Assert.Equal(VideoCodec.Jpg, f.Format.Codec);
            Assert.Equal(0xFF, f.Data[0]);
            Assert.Equal(0xD8, f.Data[1]);
            Assert.Equal(0xD9, f.Data[^1]);
        });
    }

    [Fact]
    public async Task Transcripts_carry_text_speaker_and_timing()
    {
        using var call = _gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target() });
        var segments = (await StreamReading.ReadAsync(call.ResponseStream, 5, r => r.Segment is not null))
            .Where(r => r.Segment is not null).Select(r => r.Segment).ToList();
        var names = _meeting.Participants.Select(p => p.Name).ToHashSet();
        Assert.All(segments, s =>
        {
            Assert.False(string.IsNullOrWhiteSpace(s.Text));
            Assert.Contains(s.Header.UserName, names);
            Assert.NotEqual("0", s.Header.UserId);
            Assert.Equal(ZoomTranscriptLanguage.English, s.Language);
            Assert.True(s.EndTimeMs >= s.StartTimeMs);
        });
        var sequences = segments.Select(s => s.Header.Sequence).ToList();
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => sequences[0] + (ulong)i), sequences);
    }

    [Fact]
    public async Task Events_replayed_from_start_include_the_participants_joining()
    {
        using var call = _gateway.Client.SubscribeEvents(new SubscribeEventsRequest { Target = Target(fromStart: true) });
        var events = await StreamReading.ReadAsync(call.ResponseStream, 1, r => r.Event?.ParticipantsJoined is not null);
        var joined = events.Last().Event.ParticipantsJoined.Participants.Select(p => p.UserName).ToHashSet();
        Assert.Superset(joined, _meeting.Participants.Select(p => p.Name).ToHashSet());
    }

    [Fact]
    public async Task A_participant_filter_passes_only_that_speaker()
    {
        var speaker = _meeting.Participants[0];
        var target = Target();
        target.UserIds.Add(speaker.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var call = _gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = target });
        var segments = (await StreamReading.ReadAsync(call.ResponseStream, 2, r => r.Segment is not null)).Where(r => r.Segment is not null).ToList();
        Assert.All(segments, s => Assert.Equal(speaker.Name, s.Segment.Header.UserName));
    }

    [Fact]
    public async Task A_late_subscriber_from_start_gets_the_retained_history_then_live()
    {
        using (var first = _gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target() }))
        {
            await StreamReading.ReadAsync(first.ResponseStream, 3, r => r.Segment is not null);
        }
        using var late = _gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target(fromStart: true) });
        var segments = (await StreamReading.ReadAsync(late.ResponseStream, 6, r => r.Segment is not null)).Select(r => r.Segment).ToList();
        Assert.Equal(Sequences.First(segments[0].Header.Sequence / Sequences.EpochStride), segments[0].Header.Sequence);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => segments[0].Header.Sequence + (ulong)i), segments.Select(s => s.Header.Sequence));
    }

    [Fact]
    public async Task Resuming_after_a_disconnect_loses_and_repeats_nothing()
    {
        ulong lastSeen;
        using (var first = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Target() }))
        {
            var frames = await StreamReading.ReadAsync(first.ResponseStream, 10, r => r.Frame is not null);
            lastSeen = frames.Last(r => r.Frame is not null).Frame.Header.Sequence;
        }
        // Frames keep flowing while nobody listens; the replay buffer holds them.
        await _meeting.WaitForAsync(c => c.AudioFramesSent >= 30 + (long)(lastSeen % Sequences.EpochStride), CancellationToken.None);
        var target = Target();
        target.ResumeAfterSequence = lastSeen;
        using var resumed = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = target });
        var next = await StreamReading.ReadAsync(resumed.ResponseStream, 20, r => r.Frame is not null);
        Assert.DoesNotContain(next, r => r.Gap is not null);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => lastSeen + (ulong)i), next.Select(r => r.Frame.Header.Sequence));
    }

    [Fact]
    public async Task Sessions_are_listed_and_subscribable_by_instance_id()
    {
        var list = await _gateway.Client.ListSessionsAsync(new ListSessionsRequest());
        var session = Assert.Single(list.Sessions);
        Assert.Equal(_meeting.StreamId, session.RtmsStreamId);
        Assert.Equal(_meeting.InstanceId, session.InstanceId);
        Assert.Equal(SessionState.Streaming, session.State);
        Assert.Equal(Product.Meeting, session.Product);
        Assert.True(session.Media.Audio && session.Media.Transcripts);
        Assert.Equal(16000u, session.Media.AudioFormat.SampleRateHz);

        using var call = _gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = new SubscriptionTarget { InstanceId = _meeting.InstanceId } });
        Assert.NotEmpty(await StreamReading.ReadAsync(call.ResponseStream, 1, r => r.Segment is not null));
    }

    [Fact]
    public async Task Unknown_and_malformed_targets_get_clear_status_codes()
    {
        var unknown = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { RtmsStreamId = "does-not-exist" } });
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);

        foreach (var bad in new[] { new SubscriptionTarget(), new SubscriptionTarget { RtmsStreamId = "has space" }, new SubscriptionTarget { InstanceId = new string('x', 300) } })
        {
            var invalid = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                using var call = _gateway.Client.SubscribeEvents(new SubscribeEventsRequest { Target = bad });
                await call.ResponseStream.MoveNext(CancellationToken.None);
            });
            Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        }
        var missing = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = _gateway.Client.SubscribeEvents(new SubscribeEventsRequest());
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });
        Assert.Equal(StatusCode.InvalidArgument, missing.StatusCode);
    }

    [Fact]
    public async Task Wait_for_start_blocks_until_the_meeting_starts()
    {
        var later = _gateway.Simulator.AddMeeting(new MeetingOptions { TranscriptInterval = TimeSpan.FromMilliseconds(200) });
        using var call = _gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest
        {
            Target = new SubscriptionTarget { InstanceId = later.InstanceId, WaitForStart = true },
        }, deadline: DateTime.UtcNow.AddSeconds(30));
        var first = call.ResponseStream.MoveNext(CancellationToken.None);
        await later.StartAsync(CancellationToken.None);
        Assert.True(await first);
        var segments = await StreamReading.ReadAsync(call.ResponseStream, 1, r => r.Segment is not null);
        Assert.NotEmpty(segments);
    }

    [Fact]
    public async Task Watch_sessions_reports_existing_started_and_stopped()
    {
        using var watch = _gateway.Client.WatchSessions(new WatchSessionsRequest { IncludeExisting = true });
        var snapshot = await StreamReading.ReadAsync(watch.ResponseStream, 1, r => r.Change == SessionChange.SnapshotEnd);
        Assert.Contains(snapshot, r => r.Change == SessionChange.Existing && r.Session.RtmsStreamId == _meeting.StreamId);

        var second = await _gateway.StartMeetingAsync();
        await StreamReading.ReadAsync(watch.ResponseStream, 1, r => r.Change == SessionChange.Started && r.Session.RtmsStreamId == second.StreamId);
        await second.StopAsync(Protocol.StopReason.MeetingEnded, CancellationToken.None);
        var stopped = await StreamReading.ReadAsync(watch.ResponseStream, 1, r => r.Change == SessionChange.Stopped && r.Session.RtmsStreamId == second.StreamId);
        Assert.Equal(ZoomStopReason.MeetingEnded, stopped.Last().Session.StopReason);
        Assert.Equal(SessionState.Stopped, stopped.Last().Session.State);
    }

    [Fact]
    public async Task A_stopped_meeting_ends_every_subscription_with_its_stop_reason()
    {
        using var audio = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Target() });
        using var events = _gateway.Client.SubscribeEvents(new SubscribeEventsRequest { Target = Target() });
        await StreamReading.ReadAsync(audio.ResponseStream, 1, r => r.Frame is not null);
        await _meeting.StopAsync(Protocol.StopReason.MeetingEnded, CancellationToken.None);

        var audioTail = await StreamReading.ReadToEndAsync(audio.ResponseStream);
        Assert.Equal(ZoomStopReason.MeetingEnded, audioTail.Last().Ended.StopReason);
        var eventTail = await StreamReading.ReadToEndAsync(events.ResponseStream);
        Assert.Equal(ZoomStopReason.MeetingEnded, eventTail.Last().Ended.StopReason);
        Assert.Equal(StatusCode.OK, audio.GetStatus().StatusCode);
    }
}
