using Grpc.Core;
using RtmsGateway.Api.V1;
using RtmsGateway.Sessions;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>
/// The resume contract as a consumer written from the proto sees it: one Gap per hole with the true reason and the exact
/// range, no gap where nothing was lost, and clear status codes for resume points and targets that cannot be served.
/// The replay buffer is kept tiny so resume points age out within the test.
/// </summary>
public sealed class ResumeContractTests : IAsyncLifetime
{
    private const int ReplayCapacity = 20;
    private GatewayUnderTest _gateway = null!;
    private SimulatedMeeting _meeting = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayUnderTest.StartAsync(settings: new Dictionary<string, string?> { ["Fanout:ReplayCapacity"] = ReplayCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        _meeting = await _gateway.StartMeetingAsync(new MeetingOptions { TranscriptInterval = TimeSpan.FromMilliseconds(100) });
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private SubscriptionTarget Target(ulong? resumeAfter = null)
    {
        var target = new SubscriptionTarget { RtmsStreamId = _meeting.StreamId };
        if (resumeAfter is { } after)
        {
            target.ResumeAfterSequence = after;
        }
        return target;
    }

    /// <summary>The sequence of a live audio frame, once the channel has published more than the replay buffer holds.</summary>
    private async Task<ulong> LastAudioSequenceAsync()
    {
        using var call = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Target() });
        var frames = await StreamReading.ReadAsync(call.ResponseStream, 3, r => r.Frame is not null && r.Frame.Header.Sequence > Sequences.First(1) + (2 * ReplayCapacity));
        return frames.Last(r => r.Frame is not null).Frame.Header.Sequence;
    }

    [Fact]
    public async Task Resuming_after_the_buffer_expired_gets_exactly_one_gap_then_consecutive_frames()
    {
        var last = await LastAudioSequenceAsync();
        var sentAtLast = _meeting.Counters.AudioFramesSent;
        await _meeting.WaitForAsync(c => c.AudioFramesSent >= sentAtLast + (3 * ReplayCapacity), CancellationToken.None);

        using var resumed = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Target(last) });
        var responses = await StreamReading.ReadAsync(resumed.ResponseStream, 30, r => r.Frame is not null);

        var gap = Assert.Single(responses, r => r.Gap is not null).Gap;
        Assert.Same(gap, responses[0].Gap);
        Assert.Equal(Gap.Types.Reason.RetentionExceeded, gap.Reason);
        Assert.Equal(last + 1, gap.FirstMissingSequence);
        Assert.Equal(gap.LastMissingSequence - gap.FirstMissingSequence + 1, gap.MissedCount);
        var sequences = responses.Skip(1).Select(r => r.Frame.Header.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => gap.LastMissingSequence + (ulong)i), sequences);
    }

    [Fact]
    public async Task Transcripts_resumed_long_after_the_media_buffer_expired_are_all_retained_without_a_gap()
    {
        ulong last;
        using (var first = _gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target() }))
        {
            last = (await StreamReading.ReadAsync(first.ResponseStream, 1, r => r.Segment is not null)).Last(r => r.Segment is not null).Segment.Header.Sequence;
        }
        var sent = _meeting.Counters.TranscriptsSent;
        await _meeting.WaitForAsync(c => c.TranscriptsSent >= sent + ReplayCapacity + 5, CancellationToken.None);

        // Transcripts are kept for the session's whole life (bounded by bytes, not by the media replay capacity).
        using var resumed = _gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target(last) });
        var responses = await StreamReading.ReadAsync(resumed.ResponseStream, ReplayCapacity + 5, r => r.Segment is not null);
        Assert.DoesNotContain(responses, r => r.Gap is not null);
        Assert.Equal(Enumerable.Range(1, ReplayCapacity + 5).Select(i => last + (ulong)i), responses.Select(r => r.Segment.Header.Sequence));
    }

    [Fact]
    public async Task Resuming_from_a_retained_point_of_the_same_epoch_needs_no_gap()
    {
        var last = await LastAudioSequenceAsync();
        using var resumed = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Target(last - 5) });
        var responses = await StreamReading.ReadAsync(resumed.ResponseStream, 10, r => r.Frame is not null);
        Assert.DoesNotContain(responses, r => r.Gap is not null);
        Assert.Equal(last - 4, responses[0].Frame.Header.Sequence);
    }

    [Fact]
    public async Task Resuming_after_zero_announces_only_what_the_first_epoch_lost_starting_at_one()
    {
        await LastAudioSequenceAsync();
        using var resumed = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Target(0) });
        var responses = await StreamReading.ReadAsync(resumed.ResponseStream, 5, r => r.Frame is not null);
        var gap = Assert.Single(responses, r => r.Gap is not null).Gap;
        Assert.Equal(Gap.Types.Reason.RetentionExceeded, gap.Reason);
        Assert.Equal(1ul, gap.FirstMissingSequence);
        Assert.Equal(gap.LastMissingSequence - Sequences.First(1) + 1, gap.MissedCount);
        Assert.Equal(gap.LastMissingSequence + 1, responses[1].Frame.Header.Sequence);
    }

    [Fact]
    public async Task Resume_points_that_cannot_exist_get_invalid_argument_or_out_of_range()
    {
        var last = await LastAudioSequenceAsync();
        Assert.Equal(StatusCode.InvalidArgument, (await RefusalAsync(Target(5))).StatusCode);
        Assert.Equal(StatusCode.OutOfRange, (await RefusalAsync(Target(last + 1_000_000))).StatusCode);
        Assert.Equal(StatusCode.OutOfRange, (await RefusalAsync(Target(Sequences.First(7)))).StatusCode);
    }

    [Fact]
    public async Task A_stream_id_with_another_instance_id_is_a_contradiction_not_an_unknown_session()
    {
        var target = Target();
        target.InstanceId = "another-instance";
        var refused = await RefusalAsync(target);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
    }

    private async Task<RpcException> RefusalAsync(SubscriptionTarget target) =>
        await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = target });
            using var timeout = new CancellationTokenSource(StreamReading.DefaultTimeout);
            while (await call.ResponseStream.MoveNext(timeout.Token))
            {
            }
        });
}
