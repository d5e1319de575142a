using System.Globalization;
using StackExchange.Redis;

namespace RtmsGateway.Benchmarks.Ownership;

/// <summary>
/// What the Redis masters (one server, or every master of a cluster) report about themselves at one instant, summed:
/// calls per command (<c>INFO commandstats</c>, which counts the commands scripts run too), CPU seconds (<c>INFO cpu</c>,
/// user + system, main thread and I/O threads; also per master) and memory. Two snapshots give the rates of a window.
/// </summary>
internal sealed record RedisInfoSnapshot(
    long Timestamp, IReadOnlyDictionary<string, long> Calls, IReadOnlyDictionary<string, long> Micros, double CpuSeconds, IReadOnlyList<double> CpuSecondsPerMaster, long UsedMemory, long ConnectedClients)
{
    /// <summary>The commands the harness's own observer sends (these snapshots, the checks): not part of the load.</summary>
    private static readonly HashSet<string> Observer = new(StringComparer.Ordinal) { "info", "flushall", "client|setname", "cluster|nodes", "config|get", "echo", "subscribe", "unsubscribe", "hello", "client", "config", "cluster" };

    /// <remarks>A blocking INFO on a thread of its own: when the harness is the bottleneck its thread pool queues
    /// thousands of continuations, and the observer must still see Redis (its connection has its own socket manager).</remarks>
    public static async Task<RedisInfoSnapshot> TakeAsync(IReadOnlyList<IServer> masters, TimeProvider time) =>
        await Task.Factory.StartNew(() => Take(masters, time), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static RedisInfoSnapshot Take(IReadOnlyList<IServer> masters, TimeProvider time)
    {
        var stamp = time.GetTimestamp();
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        var micros = new Dictionary<string, long>(StringComparer.Ordinal);
        var perMaster = new List<double>(masters.Count);
        long memory = 0, clients = 0;
        foreach (var server in masters)
        {
            var (cpu, used, connected) = Add(server.Info("all"), calls, micros);
            perMaster.Add(cpu);
            memory += used;
            clients += connected;
        }
        return new RedisInfoSnapshot(stamp, calls, micros, perMaster.Sum(), perMaster, memory, clients);
    }

    private static (double Cpu, long Memory, long Clients) Add(IGrouping<string, KeyValuePair<string, string>>[] sections, Dictionary<string, long> calls, Dictionary<string, long> micros)
    {
        double cpu = 0;
        long memory = 0, clients = 0;
        foreach (var section in sections)
        {
            foreach (var (key, value) in section)
            {
                if (key.StartsWith("cmdstat_", StringComparison.Ordinal))
                {
                    var name = key["cmdstat_".Length..];
                    var fields = value.Split(',');
                    calls[name] = calls.GetValueOrDefault(name) + long.Parse(fields.First(p => p.StartsWith("calls=", StringComparison.Ordinal))["calls=".Length..], CultureInfo.InvariantCulture);
                    micros[name] = micros.GetValueOrDefault(name) + long.Parse(fields.First(p => p.StartsWith("usec=", StringComparison.Ordinal))["usec=".Length..], CultureInfo.InvariantCulture);
                }
                else if (key is "used_cpu_sys" or "used_cpu_user")
                {
                    cpu += double.Parse(value, CultureInfo.InvariantCulture);
                }
                else if (key == "used_memory")
                {
                    memory = long.Parse(value, CultureInfo.InvariantCulture);
                }
                else if (key == "connected_clients")
                {
                    clients = long.Parse(value, CultureInfo.InvariantCulture);
                }
            }
        }
        return (cpu, memory, clients);
    }

    /// <summary>Calls per second of each command between <paramref name="before"/> and this snapshot (observer's excluded).</summary>
    public IReadOnlyDictionary<string, double> RatesSince(RedisInfoSnapshot before, TimeProvider time)
    {
        var seconds = Seconds(before, time);
        return Calls.Where(c => !Observer.Contains(c.Key))
            .Select(c => (c.Key, Rate: (c.Value - before.Calls.GetValueOrDefault(c.Key)) / seconds))
            .Where(c => c.Rate > 0)
            .OrderByDescending(c => c.Rate)
            .ToDictionary(c => c.Key, c => c.Rate, StringComparer.Ordinal);
    }

    /// <summary>Redis's own time in each command over the window (<c>usec</c> of commandstats; a script's includes the
    /// commands it runs, which are counted again under their own names), as a share of the window's wall time.</summary>
    public double CommandShareSince(RedisInfoSnapshot before, string command, TimeProvider time) =>
        (Micros.GetValueOrDefault(command) - before.Micros.GetValueOrDefault(command)) / 1e6 / Seconds(before, time);

    /// <summary>Redis CPU over the window, in cores (1.0 = the whole main thread's core), all masters together.</summary>
    public double CoresSince(RedisInfoSnapshot before, TimeProvider time) => (CpuSeconds - before.CpuSeconds) / Seconds(before, time);

    /// <summary>The busiest master's CPU over the window, in cores: what bounds the fleet.</summary>
    public double BusiestCoresSince(RedisInfoSnapshot before, TimeProvider time) =>
        CpuSecondsPerMaster.Select((cpu, i) => cpu - (i < before.CpuSecondsPerMaster.Count ? before.CpuSecondsPerMaster[i] : 0)).DefaultIfEmpty(0).Max() / Seconds(before, time);

    private double Seconds(RedisInfoSnapshot before, TimeProvider time) => time.GetElapsedTime(before.Timestamp, Timestamp).TotalSeconds;
}
