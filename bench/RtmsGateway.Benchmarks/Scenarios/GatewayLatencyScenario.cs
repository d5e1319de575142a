using RtmsGateway.Api.V1;
using RtmsGateway.Benchmarks.Harness;

namespace RtmsGateway.Benchmarks.Scenarios;

/// <summary>
/// N meetings (audio every 20 ms, transcripts, events, video at 5 fps), one subscriber per meeting on each of audio,
/// transcripts and events. Measures send-stamp → subscriber latency, loss, gateway CPU per audio frame and
/// memory per meeting (resident, and the managed heap: media buffers apart from the rest).
/// </summary>
internal static class GatewayLatencyScenario
{
    public sealed record Result(int Meetings, double P50, double P99, double P999, long AudioFrames, long Lost, double CpuSecondsPer1000Frames, double ResidentKiBPerMeeting, double GatewayCores, double BenchCores,
        double ManagedKiBPerMeeting, double MediaBufferKiBPerMeeting, double GatewayGcPausePercent, double BenchGcPausePercent, double AllocatedBytesPerFrame)
    {
        /// <summary>Over how many windows the figures are medians, and the spread of the key ones ("min–max").</summary>
        public int Windows { get; init; } = 1;

        public string P99Spread { get; init; } = string.Empty;

        public string CpuSpread { get; init; } = string.Empty;

        public string AllocationSpread { get; init; } = string.Empty;

        /// <summary>Resident memory per meeting beyond what the replay buffers hold.</summary>
        public double ResidentBeyondReplayKiBPerMeeting => ResidentKiBPerMeeting - MediaBufferKiBPerMeeting;
    }

    /// <summary>Medians of the windows' figures (losses and frames are summed), with the min–max of p99 and CPU per frame.</summary>
    private static Result Combine(List<Result> w) =>
        new(w[0].Meetings, WindowStats.Median(w.Select(r => r.P50)), WindowStats.Median(w.Select(r => r.P99)), WindowStats.Median(w.Select(r => r.P999)), w.Sum(r => r.AudioFrames), w.Sum(r => r.Lost),
            WindowStats.Median(w.Select(r => r.CpuSecondsPer1000Frames)), w[^1].ResidentKiBPerMeeting, WindowStats.Median(w.Select(r => r.GatewayCores)), WindowStats.Median(w.Select(r => r.BenchCores)),
            w[^1].ManagedKiBPerMeeting, w[^1].MediaBufferKiBPerMeeting, WindowStats.Median(w.Select(r => r.GatewayGcPausePercent)), WindowStats.Median(w.Select(r => r.BenchGcPausePercent)),
            WindowStats.Median(w.Select(r => r.AllocatedBytesPerFrame)))
        {
            Windows = w.Count,
            P99Spread = WindowStats.Spread(w.Select(r => r.P99)),
            CpuSpread = WindowStats.Spread(w.Select(r => r.CpuSecondsPer1000Frames), 1000),
            AllocationSpread = WindowStats.Spread(w.Select(r => r.AllocatedBytesPerFrame)),
        };

    /// <param name="profile">Run after the measured windows, under the same load (<c>--profile</c>): records the gateway's profiles.</param>
    public static async Task<Result> RunAsync(BenchmarkSettings settings, int meetings, Func<Testing.GatewayReplica, Func<long>, Task>? profile = null)
    {
        await using var rig = await GatewayRig.StartAsync(replicas: 1, cluster: false, settings.GatewayDll);
        var gateway = rig.Gateways[0];
        var baseline = gateway.ResidentBytes;
        var heapBaseline = await ManagedHeap.ReadAsync(gateway, CancellationToken.None);
        var started = await rig.StartMeetingsAsync(meetings);
        var invoker = rig.Invoker(gateway);
        var client = new RtmsGatewayService.RtmsGatewayServiceClient(invoker);
        var latency = new LatencySamples();
        var audio = new StreamTally();
        var reliable = new StreamTally();
        using var stop = new CancellationTokenSource();
        var readers = new List<Task>();
        foreach (var meeting in started)
        {
            var target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId };
            readers.Add(LeanAudioSubscriber.RunAsync(invoker, target, latency, audio, stop.Token));
            readers.Add(AudioSubscriber.DrainAsync(client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = target }, cancellationToken: stop.Token), r => r.Gap, reliable, stop.Token));
            readers.Add(AudioSubscriber.DrainAsync(client.SubscribeEvents(new SubscribeEventsRequest { Target = target }, cancellationToken: stop.Token), r => r.Gap, reliable, stop.Token));
        }
        await Task.Delay(settings.Warmup);
        // Several windows back to back, each measured on its own: the figures are their medians, with min and max.
        var windows = new List<Result>();
        for (var w = 0; w < settings.Windows; w++)
        {
            latency.Clear();
            audio.Reset();
            reliable.Reset();
            var cpuBefore = gateway.CpuTime;
            var benchBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            var benchPauseBefore = GC.GetTotalPauseDuration();
            var before = await ManagedHeap.ReadAsync(gateway, CancellationToken.None);
            await Task.Delay(settings.Window);
            var cpu = (gateway.CpuTime - cpuBefore).TotalSeconds;
            var benchCpu = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - benchBefore).TotalSeconds;
            var resident = gateway.ResidentBytes;
            var benchPause = (GC.GetTotalPauseDuration() - benchPauseBefore).TotalSeconds;
            var heap = await ManagedHeap.ReadAsync(gateway, CancellationToken.None);
            windows.Add(new Result(meetings, latency.Percentile(50), latency.Percentile(99), latency.Percentile(99.9), audio.Messages,
                audio.Missed + reliable.Missed, audio.Messages == 0 ? double.NaN : cpu / audio.Messages * 1000, (resident - baseline) / 1024.0 / meetings,
                cpu / settings.Window.TotalSeconds, benchCpu / settings.Window.TotalSeconds,
                (heap.OtherBytes - heapBaseline.OtherBytes) / 1024.0 / meetings, (heap.MediaBufferBytes - heapBaseline.MediaBufferBytes) / 1024.0 / meetings,
                (heap.PauseSeconds - before.PauseSeconds) / settings.Window.TotalSeconds * 100, benchPause / settings.Window.TotalSeconds * 100,
                audio.Messages == 0 ? double.NaN : (heap.AllocatedBytes - before.AllocatedBytes) / (double)audio.Messages));
        }
        var result = Combine(windows);
        if (profile is not null)
        {
            await profile(gateway, () => audio.Messages);
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        return result;
    }
}
