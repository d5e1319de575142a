using Grpc.Core;
using RtmsGateway.Api.V1;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>
/// Per-participant video (Rtms:VideoMode Individual, video data_opt 4): a subscriber naming a participant in
/// target.user_ids makes the owner ask Zoom for that participant (VIDEO_SUBSCRIPTION_REQ) and gets only their frames;
/// Zoom's one-at-a-time limit and Zoom's refusals reach the subscriber as FAILED_PRECONDITION with the reason; the last
/// subscriber leaving releases the participant, so another one can be watched.
/// </summary>
public sealed class IndividualVideoTests : IAsyncLifetime
{
    private GatewayUnderTest _gateway = null!;
    private SimulatedMeeting _meeting = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayUnderTest.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Rtms:VideoMode"] = "Individual",
            ["Rtms:VideoFps"] = "25",
            ["Rtms:MediaConnectionMode"] = "Split",
        });
        _meeting = await _gateway.StartMeetingAsync(new MeetingOptions { Participants = 3, ActiveSpeakerInterval = TimeSpan.FromMilliseconds(300) });
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private AsyncServerStreamingCall<SubscribeVideoResponse> Watch(string userId, CancellationToken ct = default) =>
        _gateway.Client.SubscribeVideo(new SubscribeVideoRequest
        {
            Target = new SubscriptionTarget { RtmsStreamId = _meeting.StreamId, UserIds = { userId } },
            Source = VideoSource.Camera,
        }, cancellationToken: ct);

    private string UserId(int index) => _meeting.Participants[index].UserId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_named_participant_is_requested_from_zoom_and_only_their_video_arrives_while_the_active_speaker_changes()
    {
        var second = UserId(1);
        using var call = Watch(second);
        var frames = (await StreamReading.ReadAsync(call.ResponseStream, 40, r => r.Frame is not null)).Where(r => r.Frame is not null).Select(r => r.Frame).ToList();

        // 40 frames at 25 fps span several active-speaker changes (every 300 ms): the individual stream stays on its participant.
        Assert.All(frames, f => Assert.Equal(second, f.Header.UserId));
        Assert.True(frames[0].KeyFrame, "the first frame of a newly requested participant is an IDR");
        var session = (await _gateway.Client.ListSessionsAsync(new ListSessionsRequest())).Sessions.Single();
        Assert.Equal(VideoCodec.H264, session.Media.VideoFormat.Codec);
    }

    [Fact]
    public async Task A_second_participant_is_refused_while_one_is_watched_and_granted_once_the_last_watcher_left()
    {
        using var first = new CancellationTokenSource();
        var firstCall = Watch(UserId(0), first.Token);
        var sharing = Watch(UserId(0));
        Assert.NotNull((await StreamReading.ReadAsync(firstCall.ResponseStream, 1, r => r.Frame is not null)).Last().Frame);
        Assert.Equal(UserId(0), (await StreamReading.ReadAsync(sharing.ResponseStream, 1, r => r.Frame is not null)).Last().Frame.Header.UserId);

        using (var refused = Watch(UserId(2)))
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => StreamReading.ReadAsync(refused.ResponseStream, 1));
            Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
            Assert.Contains($"participant '{UserId(0)}' is being watched by 2 subscriber(s)", error.Status.Detail);
        }

        // One of two watchers leaving keeps the participant held; the last one releases it.
        await first.CancelAsync();
        firstCall.Dispose();
        using (var stillRefused = Watch(UserId(2)))
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => StreamReading.ReadAsync(stillRefused.ResponseStream, 1));
            Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        }
        sharing.Dispose();

        // The release travels from the cancelled call to Zoom asynchronously: ask until the slot is free.
        var deadline = DateTime.UtcNow + StreamReading.DefaultTimeout;
        while (true)
        {
            using var call = Watch(UserId(2));
            try
            {
                var frames = (await StreamReading.ReadAsync(call.ResponseStream, 5, r => r.Frame is not null)).Where(r => r.Frame is not null).ToList();
                Assert.All(frames, r => Assert.Equal(UserId(2), r.Frame.Header.UserId));
                break;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    [Fact]
    public async Task Zoom_refusing_a_participant_reaches_the_subscriber_with_zooms_status_and_frees_the_slot()
    {
        using (var unknown = Watch("987654321"))
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => StreamReading.ReadAsync(unknown.ResponseStream, 1));
            Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
            Assert.Contains("Zoom refused the video of participant '987654321': status 4", error.Status.Detail);
        }
        using var known = Watch(UserId(1));
        var frames = (await StreamReading.ReadAsync(known.ResponseStream, 3, r => r.Frame is not null)).Where(r => r.Frame is not null).ToList();
        Assert.All(frames, r => Assert.Equal(UserId(1), r.Frame.Header.UserId));
    }

    [Fact]
    public async Task More_than_one_participant_in_one_call_is_an_invalid_argument()
    {
        using var call = _gateway.Client.SubscribeVideo(new SubscribeVideoRequest
        {
            Target = new SubscriptionTarget { RtmsStreamId = _meeting.StreamId, UserIds = { UserId(0), UserId(1) } },
        });
        var error = await Assert.ThrowsAsync<RpcException>(() => StreamReading.ReadAsync(call.ResponseStream, 1));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
