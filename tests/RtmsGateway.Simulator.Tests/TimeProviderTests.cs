using System.Text.Json.Nodes;

namespace RtmsGateway.Simulator.Tests;

/// <summary>Pacing, keep-alives, buffering and reconnect windows run on <see cref="SimulatorOptions.TimeProvider"/>:
/// with a manual clock, Zoom's real one-minute windows are tested exactly and instantly.</summary>
public sealed class TimeProviderTests
{
    [Fact]
    public async Task Zoom_timers_follow_the_time_provider()
    {
        var time = new ManualTimeProvider();
        await using var harness = await SimulatorHarness.StartAsync(o =>
        {
            o.TimeProvider = time;
            o.KeepAliveInterval = TimeSpan.FromSeconds(10);
            o.SignalingReconnectWindow = TimeSpan.FromSeconds(60);
        });
        var (meeting, started) = await harness.StartMeetingAsync();
        var (signaling, response) = await harness.SignalAsync(meeting, events: []);
        await using var s = signaling;
        var (media, _) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "audio", 1);
        await using var m = media;
        await meeting.WaitForAsync(c => c.ClientReadyAcks == 1);

        // One second passes: exactly 50 packets of 20 ms, timestamps on the stream's own timeline.
        time.Advance(TimeSpan.FromSeconds(1));
        var audio = await media.CollectAsync(x => RawRtmsClient.MsgType(x) == 14, 50, "audio");
        var first = RawRtmsClient.Timestamp(audio[0]);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => first + (i * 20)), audio.Select(RawRtmsClient.Timestamp));
        Assert.InRange(first, (long)started.Body["event_ts"]! - 100, (long)started.Body["event_ts"]!);
        await meeting.WaitForAsync(c => c.AudioFramesSent == 50);

        // Ten seconds on: the keep-alive is due on both sockets, stamped with the provider's time.
        time.Advance(TimeSpan.FromSeconds(10));
        var ping = await signaling.ExpectAsync(12);
        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds(), (long)ping["timestamp"]!);
        await media.ExpectAsync(12);

        // Signaling drops: the stream waits Zoom's full minute, buffering audio, then ends with 19.
        await meeting.Faults.DropSignalingAsync();
        time.Advance(TimeSpan.FromSeconds(59));
        await meeting.WaitForAsync(_ => meeting.BufferedAudio >= TimeSpan.FromSeconds(59));
        Assert.Equal(MeetingState.Interrupted, meeting.State);
        time.Advance(TimeSpan.FromSeconds(2));
        var stopped = await harness.Inbox.ExpectAsync("rtms_stopped", meeting.StreamId);
        Assert.Equal(19, (int)stopped.Field("stop_reason")!);
        Assert.Equal(MeetingState.Stopped, meeting.State);
    }
}
