using System.Diagnostics;
using Grpc.Net.Client;
using RtmsGateway.Api.V1;
using RtmsGateway.Sessions;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>One subscriber that stops reading must cost the others nothing: they see every frame, without gaps.</summary>
public sealed class SlowSubscriberTests(ITestOutputHelper output) : IAsyncLifetime
{
    private GatewayUnderTest _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayUnderTest.StartAsync(settings: new Dictionary<string, string?>
    {
        // 48 kHz stereo: 3840-byte frames fill HTTP/2 flow-control windows quickly.
        ["Rtms:AudioSampleRateHz"] = "48000",
        ["Rtms:AudioChannels"] = "2",
        // Room for the bursts a healthy reader sees (startup buffer flush, pacing catch-up); a stalled reader still overflows.
        ["Fanout:MediaSubscriberQueue"] = "64",
    });

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_stalled_audio_subscriber_gets_gaps_while_a_reading_one_gets_every_frame()
    {
        var meeting = await _gateway.StartMeetingAsync();
        var target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId };

        // The stalled subscriber has its own connection so only HTTP/2 flow control, not our reading, throttles it.
        using var stalledChannel = GrpcChannel.ForAddress(_gateway.GrpcUrl);
        var stalledClient = new RtmsGatewayService.RtmsGatewayServiceClient(stalledChannel);
        using var stalled = stalledClient.SubscribeAudio(new SubscribeAudioRequest { Target = target });
        Assert.True(await stalled.ResponseStream.MoveNext(CancellationToken.None));

        using var reading = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = target });
        var lags = new List<double>();
        var received = new List<SubscribeAudioResponse>();
        var hub = _gateway.Service<SessionDirectory>().FindByStream(meeting.StreamId)!;
        // Read until the stalled subscriber has demonstrably lost frames (the gateway dropped its oldest).
        while (received.Count < 2000)
        {
            var batch = await StreamReading.ReadAsync(reading.ResponseStream, 25);
            received.AddRange(batch);
            foreach (var frame in batch.Where(r => r.Frame is not null))
            {
                lags.Add((DateTime.UtcNow - frame.Frame.Header.ReceivedAt.ToDateTime()).TotalMilliseconds);
            }
            if (received.Count >= 100 && meeting.Counters.AudioFramesSent > 0 && StalledDropped(hub) > 0)
            {
                break;
            }
        }
        Assert.True(StalledDropped(hub) > 0, "the stalled subscriber should have lost frames");
        Assert.DoesNotContain(received, r => r.Gap is not null);
        var sequences = received.Select(r => r.Frame.Header.Sequence).ToList();
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => sequences[0] + (ulong)i), sequences);

        lags.Sort();
        output.WriteLine($"reading subscriber: {lags.Count} frames, gateway→subscriber lag p50 {lags[lags.Count / 2]:0.0} ms, max {lags[^1]:0.0} ms while another subscriber was stalled");

        // The stalled subscriber, once it reads again, is told exactly what it missed.
        var afterStall = await StreamReading.ReadAsync(stalled.ResponseStream, 1, r => r.Gap is not null);
        var gap = afterStall.Last().Gap;
        Assert.Equal(Gap.Types.Reason.SubscriberTooSlow, gap.Reason);
        Assert.Equal(gap.LastMissingSequence - gap.FirstMissingSequence + 1, gap.MissedCount);
    }

    private static long StalledDropped(SessionHub hub) => hub.Audio.DroppedFrames;
}
