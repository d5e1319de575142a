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
        double ManagedKiBPerMeeting, double MediaBufferKiBPerMeeting, double GatewayGcPausePercent, double BenchGcPausePercent)
    {
        /// <summary>Over how many windows the figures are medians, and the spread of the key ones ("min–max").</summary>
        public int Windows { get; init; } = 1;

        public string P99Spread { get; init; } = string.Empty;

        public string CpuSpread { get; init; } = string.Empty;
    }

    /// <summary>Medians of the windows' figures (losses and frames are summed), with the min–max of p99 and CPU per frame.</summary>
    private static Result Combine(List<Result> w)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
            return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }
        static string Spread(IEnumerable<double> values, double scale) =>
            FormattableString.Invariant($"{values.Min() * scale:0.##}–{values.Max() * scale:0.##}");
        return new Result(w[0].Meetings, Median(w.Select(r => r.P50)), Median(w.Select(r => r.P99)), Median(w.Select(r => r.P999)), w.Sum(r => r.AudioFrames), w.Sum(r => r.Lost),
            Median(w.Select(r => r.CpuSecondsPer1000Frames)), w[^1].ResidentKiBPerMeeting, Median(w.Select(r => r.GatewayCores)), Median(w.Select(r => r.BenchCores)),
            w[^1].ManagedKiBPerMeeting, w[^1].MediaBufferKiBPerMeeting, Median(w.Select(r => r.GatewayGcPausePercent)), Median(w.Select(r => r.BenchGcPausePercent)))
        {
            Windows = w.Count,
            P99Spread = Spread(w.Select(r => r.P99), 1),
            CpuSpread = Spread(w.Select(r => r.CpuSecondsPer1000Frames), 1000),
        };
    }

    public static async Task<Result> RunAsync(BenchmarkSettings settings, int meetings)
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
            var gatewayPauseBefore = (await ManagedHeap.ReadAsync(gateway, CancellationToken.None)).PauseSeconds;
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
                (heap.PauseSeconds - gatewayPauseBefore) / settings.Window.TotalSeconds * 100, benchPause / settings.Window.TotalSeconds * 100));
        }
        var result = Combine(windows);
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        return result;
    }
}
