using BenchmarkDotNet.Running;
using RtmsGateway.Benchmarks.Harness;
using RtmsGateway.Benchmarks.Micro;
using RtmsGateway.Benchmarks.Ownership;
using RtmsGateway.Benchmarks.Scenarios;

if (args.FirstOrDefault() == "ownership")
{
    // The ownership layer's load model (Redis commands, CPU, takeover) with simulated replicas and no media.
    return await OwnershipLoadCommand.RunAsync(args[1..]);
}

if (args.Contains("--micro"))
{
    BenchmarkRunner.Run([typeof(HotPathBenchmarks), typeof(AudioConversionBenchmarks)], args: [.. args.Where(a => a != "--micro")]);
    return 0;
}

if (args.Contains("--direct-consumer"))
{
    return await DirectConsumerHost.RunAsync();
}

var settings = BenchmarkSettings.Parse(args);
var report = new BenchmarkReport(settings);
Console.WriteLine($"RtmsGateway benchmark ({(settings.Smoke ? "smoke" : "full")}): window {settings.Window.TotalSeconds} s after {settings.Warmup.TotalSeconds} s warm-up");
if (settings.Pinned && OperatingSystem.IsLinux())
{
    // The gateway processes on CPU 1 (GatewayReplica reads RTMS_GATEWAY_CPUS), everything else on CPU 0; child processes
    // started from here (the direct consumers) inherit this affinity.
    Environment.SetEnvironmentVariable("RTMS_GATEWAY_CPUS", "1");
    System.Diagnostics.Process.GetCurrentProcess().ProcessorAffinity = 1;
    Console.WriteLine("pinned: gateway on CPU 1, load generator and direct consumers on CPU 0");
}
var profiler = settings.ProfileDirectory is { } profiles ? new GatewayProfiler(profiles, TimeSpan.FromSeconds(10)) : null;
if (profiler is not null)
{
    // Gateways started from now on write /tmp/perf-<pid>.map, so perf resolves their JIT-compiled methods.
    // (W^X double-maps JIT-compiled code through an anonymous memfd, which perf cannot name: off while profiling.)
    Environment.SetEnvironmentVariable("DOTNET_PerfMapEnabled", "1");
    Environment.SetEnvironmentVariable("DOTNET_EnableWriteXorExecute", "0");
}

// With --baseline, every gateway scenario runs twice per size, the baseline build first, then the working tree's, so
// each figure has its baseline beside it and a speed-up is a ratio measured in one run.
var baseline = settings.Baseline is { } gitRef ? await BaselineBuild.PrepareAsync(gitRef) : null;
var builds = baseline is null
    ? new[] { (Label: string.Empty, Settings: settings) }
    : [(Label: $" [baseline {baseline.Commit}]", Settings: settings with { GatewayDll = baseline.GatewayDll }), (Label: string.Empty, Settings: settings)];

var maxZeroLoss = new Dictionary<string, int>();
var maxRealTime = new Dictionary<string, int>();
var results = new Dictionary<(string Label, int Meetings), GatewayLatencyScenario.Result>();
var largest = int.MaxValue;
foreach (var meetings in settings.MeetingCounts)
{
    if (meetings > largest)
    {
        break;
    }
    DirectBaselineScenario.Result? direct = null;
    foreach (var (label, buildSettings) in builds)
    {
        GatewayLatencyScenario.Result gateway;
        try
        {
            gateway = await GatewayLatencyScenario.RunAsync(buildSettings, meetings,
                profiler is null || label.Length > 0 ? null : (g, delivered) => profiler.RecordAsync(g, $"gateway {meetings} meetings", meetings * 50.0, delivered));
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            // Not every meeting reached streaming in time: this size is beyond what the machine holds.
            report.Add(new Figure($"meetings streaming @ {meetings} meetings{label}", 0, "meetings", "", $"not all {meetings} meetings were streaming within 180 s ({ex.GetType().Name}); larger sizes skipped"));
            largest = meetings - 1;
            continue;
        }
        results[(label, meetings)] = gateway;
        direct ??= await DirectBaselineScenario.RunAsync(settings, meetings);
        report.Add(new Figure($"gateway latency p50 @ {meetings} meetings{label}", gateway.P50, "ms"));
        report.Add(new Figure($"gateway latency p99 @ {meetings} meetings{label}", gateway.P99, "ms", meetings == 500 ? "<= 20 ms" : "", $"median of {gateway.Windows} windows, {gateway.P99Spread} ms"));
        report.Add(new Figure($"gateway latency p999 @ {meetings} meetings{label}", gateway.P999, "ms"));
        report.Add(new Figure($"direct latency p99 @ {meetings} meetings{label}", direct.P99, "ms", "", $"median of {settings.Windows} windows, {direct.P99Spread} ms; {direct.Lost} lost"));
        report.Add(new Figure($"ratio gateway/direct p99 @ {meetings} meetings{label}", gateway.P99 / direct.P99, "x", meetings == 500 ? "<= 1.5x" : ""));
        report.Add(new Figure($"direct consumer CPU per audio frame @ {meetings} meetings{label}", direct.CpuMicrosPerFrame, "µs", "",
            $"own process, audio+video+transcript sockets parsed; median of {settings.Windows} windows, {direct.CpuSpread} µs; {direct.ConsumerCores:0.00} cores; simulator {direct.LoadGeneratorCores:0.00} cores"));
        report.Add(new Figure($"ratio gateway/direct CPU per audio frame @ {meetings} meetings{label}", gateway.CpuSecondsPer1000Frames * 1000 / direct.CpuMicrosPerFrame, "x", meetings == 500 ? "<= 2.5x" : ""));
        report.Add(new Figure($"messages lost @ {meetings} meetings (audio+transcripts+events){label}", gateway.Lost, "msgs", "0", $"{gateway.AudioFrames} audio frames delivered"));
        report.Add(new Figure($"gateway CPU per audio frame @ {meetings} meetings{label}", gateway.CpuSecondsPer1000Frames * 1000, "µs", meetings == 500 ? "<= 8 µs" : "",
            $"median of {gateway.Windows} windows, {gateway.CpuSpread} µs; video, transcripts and events included in the CPU"));
        report.Add(new Figure($"gateway managed allocation per audio frame @ {meetings} meetings{label}", gateway.AllocatedBytesPerFrame, "B", meetings == 500 ? "<= 64 B beyond pooled payloads" : "",
            $"everything the process allocated (video, transcripts, events, encoded payloads included) / audio frames delivered; median of {gateway.Windows} windows, {gateway.AllocationSpread} B"));
        report.Add(new Figure($"CPU cores used @ {meetings} meetings: gateway{label}", gateway.GatewayCores, "cores", "", $"bench process (simulator + subscribers): {gateway.BenchCores:0.00} cores of {Environment.ProcessorCount}"));
        report.Add(new Figure($"GC pauses @ {meetings} meetings: gateway{label}", gateway.GatewayGcPausePercent, "% of time", meetings == 1000 ? "<= 1 %" : "",
            $"bench process (simulator + subscribers): {gateway.BenchGcPausePercent:0.0} % of time"));
        report.Add(new Figure($"gateway managed heap per meeting beyond media buffers @ {meetings} meetings{label}", gateway.ManagedKiBPerMeeting, "KiB", "<= 256 KiB beyond buffers",
            $"media buffers (2 s replay buffers): {gateway.MediaBufferKiBPerMeeting:0} KiB per meeting"));
        report.Add(new Figure($"gateway resident memory per meeting beyond the replay bytes @ {meetings} meetings{label}", gateway.ResidentBeyondReplayKiBPerMeeting, "KiB", "<= 256 KiB",
            $"process RSS growth per meeting ({gateway.ResidentKiBPerMeeting:0} KiB) less the replay buffers' bytes; GC headroom included"));
        if (gateway.Lost == 0 && gateway.AudioFrames > 0)
        {
            maxZeroLoss[label] = Math.Max(maxZeroLoss.GetValueOrDefault(label), meetings);
            if (gateway.P99 <= 20)
            {
                maxRealTime[label] = Math.Max(maxRealTime.GetValueOrDefault(label), meetings);
            }
        }
    }
    if (baseline is not null && results.TryGetValue((builds[0].Label, meetings), out var before) && results.TryGetValue((string.Empty, meetings), out var after))
    {
        report.Add(new Figure($"working tree / baseline: gateway CPU per audio frame @ {meetings} meetings", after.CpuSecondsPer1000Frames / before.CpuSecondsPer1000Frames, "x", "", "below 1: cheaper than the baseline"));
        report.Add(new Figure($"working tree / baseline: gateway p99 @ {meetings} meetings", after.P99 / before.P99, "x"));
    }
}
foreach (var (label, _) in builds)
{
    report.Add(new Figure($"max concurrent meetings held with zero loss (tested sizes){label}", maxZeroLoss.GetValueOrDefault(label), "meetings"));
    report.Add(new Figure($"max concurrent meetings held with zero loss and p99 <= 20 ms (tested sizes){label}", maxRealTime.GetValueOrDefault(label), "meetings",
        settings.Pinned ? ">= 1000 (pinned)" : "", settings.Pinned ? "gateway on one core, load generator on the other" : "gateway and load generator share both cores"));
}

foreach (var subscribers in settings.FanoutCounts)
{
    foreach (var (label, buildSettings) in builds)
    {
        var fanout = await FanoutScenario.RunAsync(buildSettings, subscribers,
            profiler is null || label.Length > 0 ? null : (g, delivered) => profiler.RecordAsync(g, $"fanout {subscribers} subscribers", subscribers * 50.0, delivered));
        report.Add(new Figure($"fan-out 1 meeting -> {subscribers} subscribers p99{label}", fanout.P99, "ms", subscribers == 1000 ? "<= 10 ms" : "", $"{fanout.Lost} lost of {fanout.Deliveries}"));
    }
}

if (settings.Cluster)
{
    var cluster = await ClusterScenario.RunAsync(settings);
    report.Add(new Figure("cluster: subscriber on the owner p99", cluster.OwnerP99, "ms"));
    report.Add(new Figure("cluster: subscriber relayed by another replica p99", cluster.RelayP99, "ms"));
    report.Add(new Figure("cluster: relay/owner p99 ratio", cluster.RelayP99 / cluster.OwnerP99, "x"));
    report.Add(new Figure("cluster: failover, owner SIGKILL -> relayed subscriber receiving", cluster.FailoverSeconds, "s", "<= 3 s + reconnect backoff", "lease TTL 2 s, scan 0.25 s"));
}

await report.WriteAsync();
return 0;
