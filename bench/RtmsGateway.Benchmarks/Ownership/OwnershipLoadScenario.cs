using System.Diagnostics;
using System.Globalization;
using RtmsGateway.Benchmarks.Harness;
using RtmsGateway.Cluster;
using RtmsGateway.Ownership;
using StackExchange.Redis;

namespace RtmsGateway.Benchmarks.Ownership;

/// <summary>
/// One grid point: R simulated replicas (<see cref="SimulatedReplica"/>) share S sessions, each acquired through the
/// ownership store's acquire and then renewed on the gateway's schedule while every replica runs its takeover scan and its
/// catalog. After a warm-up, one steady window is measured: Redis's calls per command and CPU (deltas of <c>INFO</c>), its
/// memory, this process's CPU, the renewals' punctuality and the scans' durations. Then one replica is killed (no more
/// renewals, its connections closed) and the survivors' scans take its sessions over: the time from the kill to each
/// orphan's claim, and whether each orphan was claimed exactly once (by the log of won claims, and by the store: a live
/// owner other than the victim, with the epoch one above the victim's).
/// </summary>
internal static class OwnershipLoadScenario
{
    public static async Task<OwnershipPoint> RunAsync(OwnershipLoadSettings settings, int sessions, int replicaCount, string connectionString, IReadOnlyList<IServer> observer, int point)
    {
        var time = TimeProvider.System;
        var load = File.Exists(LoadAverageFile) ? string.Join(' ', File.ReadAllText(LoadAverageFile).Split(' ').Take(3)) : "n/a";
        Console.WriteLine($"-- {sessions} sessions x {replicaCount} replicas (load average {load}) --");
        var prefix = string.Create(CultureInfo.InvariantCulture, $"load{point}:");
        var renewals = new RenewalTally();
        var scans = new ScanTally();
        var claims = new TakeoverLog();
        var scan = new TakeoverScan(claims, scans);
        var figures = new List<Figure>();
        void Add(string name, double value, string unit, string note = "")
        {
            figures.Add(new Figure(name, value, unit, "", note));
            Console.WriteLine($"  {name,-52} {new Figure(name, value, unit).Display,12} {unit,-10} {note}");
        }

        var empty = await RedisInfoSnapshot.TakeAsync(observer, time);
        var replicas = new List<SimulatedReplica>(replicaCount);
        try
        {
            for (var r = 0; r < replicaCount; r++)
            {
                replicas.Add(await SimulatedReplica.StartAsync(string.Create(CultureInfo.InvariantCulture, $"replica-{r:D3}"), r, connectionString, prefix, settings, time, renewals));
            }

            // The fleet: session i on replica i mod R, claimed through the webhook path's acquire.
            var acquireStarted = time.GetTimestamp();
            var acquired = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, sessions), new ParallelOptions { MaxDegreeOfParallelism = settings.AcquireConcurrency }, async (i, ct) =>
            {
                try
                {
                    if (await replicas[i % replicaCount].AcquireAsync(Record(point, i, time), ct))
                    {
                        Interlocked.Increment(ref acquired);
                    }
                }
                catch (OwnershipStoreUnavailableException)
                {
                    // Counted as not acquired: the point is then reported as not faithful.
                }
            });
            var acquireSeconds = time.GetElapsedTime(acquireStarted).TotalSeconds;
            Console.WriteLine($"  acquired {acquired} of {sessions} in {acquireSeconds:0.0} s");
            foreach (var replica in replicas)
            {
                replica.StartScanning(scan);
            }

            await Task.Delay(settings.Warmup, time);
            renewals.TakeWindow();
            scans.TakeWindow();
            var process = Process.GetCurrentProcess();
            var clientCpuBefore = process.TotalProcessorTime;
            var before = await RedisInfoSnapshot.TakeAsync(observer, time);
            await Task.Delay(settings.Window, time);
            var after = await RedisInfoSnapshot.TakeAsync(observer, time);
            process.Refresh();
            var clientCores = (process.TotalProcessorTime - clientCpuBefore).TotalSeconds / time.GetElapsedTime(before.Timestamp, after.Timestamp).TotalSeconds;
            var renewed = renewals.TakeWindow();
            var scanned = scans.TakeWindow();

            var rates = after.RatesSince(before, time);
            var total = rates.Values.Sum();
            var redisCores = after.BusiestCoresSince(before, time);
            var interval = settings.LeaseTtl / 3;
            var expectedRenewals = sessions * settings.Window.TotalSeconds / interval.TotalSeconds;
            var onSchedule = renewed.Renewed / expectedRenewals;
            Add("sessions acquired", acquired, "sessions", $"in {acquireSeconds:0.0} s, {settings.AcquireConcurrency} at a time");
            Add("redis commands/s", total, "cmd/s", "INFO commandstats delta over the window; commands run by scripts included");
            Add("redis commands per session per second", total / sessions, "cmd/s/session");
            Add("redis commands per replica per second", total / replicaCount, "cmd/s/replica");
            // Renewal work is proportional to the renewal rate: per session and renewal interval (TTL/3) compares runs made
            // with different lease TTLs (a longer TTL is how one machine drives the largest points).
            Add("redis commands per session per renewal interval", total / sessions * (settings.LeaseTtl / 3).TotalSeconds, "cmd/session",
                $"per session per second × {(settings.LeaseTtl / 3).TotalSeconds:0.###} s");
            foreach (var (command, rate) in rates)
            {
                Add($"redis calls/s: {command}", rate, "cmd/s", $"{rate / sessions:0.000} per session; {after.CommandShareSince(before, command, time) * 100:0.0} % of a core inside the command");
            }
            Add("redis CPU", after.CoresSince(before, time) * 100, "% of a core", $"INFO cpu used_cpu_sys+used_cpu_user delta / wall time, {observer.Count} master(s) together");
            if (observer.Count > 1)
            {
                Add("redis CPU, busiest master", redisCores * 100, "% of a core", "what bounds the fleet");
            }
            Add("redis memory used", after.UsedMemory / 1048576.0, "MiB", $"{(after.UsedMemory - empty.UsedMemory) / (double)sessions:0} B per session beyond the empty server");
            Add("redis connected clients", after.ConnectedClients, "clients");
            Add("harness CPU", clientCores * 100, "% of a core", $"this process (all {replicaCount} replicas), of {Environment.ProcessorCount} cores");
            Add("renewals done / scheduled", onSchedule * 100, "%", $"{renewed.Renewed} of {expectedRenewals:0} (every {interval.TotalMilliseconds:0} ms per session)");
            Add("renewal gap mean", renewed.MeanGap.TotalMilliseconds, "ms", $"scheduled {interval.TotalMilliseconds:0} ms + the round trip");
            Add("renewal gap max", renewed.MaxGap.TotalMilliseconds, "ms", $"lease TTL {settings.LeaseTtl.TotalMilliseconds:0} ms");
            Add("renewals late (gap > 1.5 intervals)", renewed.Late, "renewals");
            Add("leases lapsed (gap >= TTL) / lost / renew failures", renewed.Lapsed + renewed.Lost + renewed.Failed, "count",
                $"{renewed.Lapsed} lapsed, {renewed.Lost} lost, {renewed.Failed} failed");
            Add("harness peak working set", process.PeakWorkingSet64 / 1048576.0, "MiB", "this process since it started");
            Add("takeover scans/s, all replicas", scanned.Scans / settings.Window.TotalSeconds, "scans/s",
                $"schedule: {replicaCount} every {settings.ScanInterval.TotalMilliseconds:0}-{settings.ScanInterval.TotalMilliseconds * 1.5:0} ms after the previous one ends; {scanned.Failed} failed");
            Add("takeover scan duration p50", scanned.MedianMs, "ms");
            Add("takeover scan duration max", scanned.MaxMs, "ms");

            // The renewal loop waits an interval after each renewal ends, so on schedule is one renewal per interval plus a round
            // trip: at least 90 % of one per interval, at most 0.1 % of the gaps over 1.5 intervals (a shared machine's
            // scheduling hiccups), and no lease lapsed, lost or failed.
            var faithful = renewed.Lapsed == 0 && renewed.Lost == 0 && renewed.Failed == 0 && renewed.Late <= renewed.Renewed / 1000
                && onSchedule >= 0.9 && acquired == sessions;
            var holds = faithful && redisCores < 0.8;
            var busy = LoadAverage();
            var boundBy = faithful ? string.Empty
                : redisCores >= 0.9 ? "redis"
                : busy > 1.5 * Environment.ProcessorCount && clientCores < 0.8 * Environment.ProcessorCount ? "machine"
                : "harness";
            var severe = !faithful && (renewed.Lapsed > 0 || renewed.Failed > 0 || onSchedule < 0.8);
            var verdict = faithful
                ? (holds ? "holds: renewals on schedule, Redis CPU < 80 % of a core" : $"renewals on schedule, but Redis CPU {redisCores * 100:0} % of a core (>= 80 %)")
                : $"NOT FAITHFUL: renewals {onSchedule * 100:0} % of schedule, {renewed.Late} late, {renewed.Lapsed} lapsed, {renewed.Lost} lost, {renewed.Failed} failed; bound by "
                  + boundBy switch
                  {
                      "redis" => $"Redis (CPU {redisCores * 100:0} % of its one core)",
                      "machine" => $"the machine: load average {busy:0.0} on {Environment.ProcessorCount} cores, the harness got {clientCores * 100:0} % of a core, Redis {redisCores * 100:0} %",
                      _ => $"the harness (CPU {clientCores * 100:0} % of a core, of {Environment.ProcessorCount} cores; Redis {redisCores * 100:0} %)",
                  };
            Console.WriteLine($"  verdict: {verdict}");

            await MeasureTakeoverAsync(settings, replicas, claims, time, Add);
            return new OwnershipPoint(sessions, replicaCount, load, faithful, holds, boundBy, severe, verdict, [.. figures]);
        }
        finally
        {
            await Task.WhenAll(replicas.Select(r => r.DisposeAsync().AsTask()));
        }
    }

    private static async Task MeasureTakeoverAsync(OwnershipLoadSettings settings, List<SimulatedReplica> replicas, TakeoverLog claims, TimeProvider time, Action<string, double, string, string> add)
    {
        if (replicas.Count < 2)
        {
            return;
        }
        var victim = replicas[0];
        var orphans = victim.Leases.ToDictionary(l => l.StreamId, l => l.Epoch, StringComparer.Ordinal);
        var killedAt = time.GetTimestamp();
        await victim.KillAsync();
        var deadline = killedAt + (long)(settings.TakeoverTimeout.TotalSeconds * time.TimestampFrequency);
        while (orphans.Keys.Any(id => claims.Count(id) == 0) && time.GetTimestamp() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time);
        }
        var allClaimedAt = time.GetElapsedTime(killedAt);
        // Long enough for every survivor to scan again past the grace: a second claim of any orphan would show.
        await Task.Delay(TakeoverService.Grace(settings.LeaseTtl) + settings.ScanInterval * 3, time);

        var survivor = replicas[1].Ownership;
        var wrongInStore = 0;
        await Parallel.ForEachAsync(orphans, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (orphan, ct) =>
        {
            var now = await survivor.GetAsync(orphan.Key, ct);
            if (now is null || now.OwnerReplicaId is null || now.OwnerReplicaId == victim.Id || now.Epoch != orphan.Value + 1)
            {
                Interlocked.Increment(ref wrongInStore);
            }
        });
        var latencies = orphans.Keys.Select(claims.ClaimsOf).Where(c => c.Count > 0)
            .Select(c => time.GetElapsedTime(killedAt, c.Min(x => x.At)).TotalSeconds).Order().ToArray();
        double Quantile(double q) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];
        var once = orphans.Keys.Count(id => claims.Count(id) == 1);
        var duplicated = orphans.Keys.Count(id => claims.Count(id) > 1);
        var falseTakeovers = claims.ClaimedOutside(orphans.Keys.ToHashSet(StringComparer.Ordinal));
        add("takeover: orphans of the killed replica", orphans.Count, "sessions", $"{victim.Id}: renewals stopped, connections closed");
        add("takeover: orphans claimed exactly once", once, "sessions", $"{duplicated} claimed more than once");
        add("takeover: orphans not claimed", orphans.Count - once - duplicated, "sessions", $"within {settings.TakeoverTimeout.TotalSeconds:0} s");
        add("takeover: live sessions claimed (false takeovers)", falseTakeovers, "sessions", "a lapsed lease of a live replica");
        add("takeover: store disagrees (owner not a survivor, or epoch not victim's + 1)", wrongInStore, "sessions", "");
        add("takeover latency p50", Quantile(0.5), "s", "kill -> claim");
        add("takeover latency p99", Quantile(0.99), "s", "");
        add("takeover latency max (last orphan claimed)", latencies.Length == 0 ? double.NaN : latencies[^1], "s",
            $"bound: the victim's last renewal's TTL (<= {settings.LeaseTtl.TotalSeconds:0.#} s) + grace {TakeoverService.Grace(settings.LeaseTtl).TotalSeconds:0.#} s + a scan period; waited {allClaimedAt.TotalSeconds:0.0} s");
    }

    private const string LoadAverageFile = "/proc/loadavg";

    /// <summary>The one-minute load average (runnable tasks, this harness and Redis included); 0 where unknown.</summary>
    private static double LoadAverage() =>
        File.Exists(LoadAverageFile) ? double.Parse(File.ReadAllText(LoadAverageFile).Split(' ')[0], CultureInfo.InvariantCulture) : 0;

    private static SessionRecord Record(int point, int i, TimeProvider time)
    {
        // Zoom's ids are 32 hex digits (stream) and base64 (instance); the signaling URL as Zoom sends it.
        var streamId = string.Create(CultureInfo.InvariantCulture, $"{point:x4}{i:x28}");
        return new SessionRecord
        {
            StreamId = streamId,
            InstanceId = Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
            SignalingUrl = $"wss://rtms-sj1.zoom.us/rtms/signaling/{streamId}",
            Product = Protocol.Webhooks.RtmsProduct.Meeting,
            MeetingId = 80_000_000_000 + i,
            AccountId = "load-model-account",
            EventTimestamp = time.GetUtcNow().ToUnixTimeMilliseconds(),
            AcceptedAt = time.GetUtcNow(),
        };
    }
}
