using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using RtmsGateway.Benchmarks.Harness;
using RtmsGateway.Testing;
using StackExchange.Redis;

namespace RtmsGateway.Benchmarks.Ownership;

/// <summary>
/// <c>ownership</c>: the load model of the ownership layer. Runs every point of <c>--sessions</c> × <c>--replicas</c> against
/// <c>--redis host:port</c> (keys under a fresh prefix per point, nothing flushed) or, by default, a redis-server of its own
/// (flushed between points), and writes <c>&lt;out&gt;/&lt;name&gt;.json</c> and <c>.md</c> (a column per point).
/// </summary>
internal static class OwnershipLoadCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var settings = OwnershipLoadSettings.Parse(args);
        // The commit measured is the one the run starts on (files edited while it runs do not change what it runs).
        var commit = await CommitAsync();
        var command = "ownership " + string.Join(' ', args);
        Console.WriteLine($"RtmsGateway ownership load model: lease TTL {settings.LeaseTtl.TotalSeconds} s, scan every {settings.ScanInterval.TotalSeconds} s, "
            + $"{settings.Warmup.TotalSeconds} s warm-up, {settings.Window.TotalSeconds} s window per point");
        await using var own = settings.Redis is null ? await RedisServer.StartAsync() : null;
        var connectionString = own?.ConnectionString ?? $"{settings.Redis},abortConnect=false";
        var observerOptions = ConfigurationOptions.Parse(connectionString);
        observerOptions.AllowAdmin = true;
        observerOptions.SyncTimeout = observerOptions.AsyncTimeout = 15_000;
        using var observerSockets = new SocketManager("ownership-observer");
        observerOptions.SocketManager = observerSockets;
        using var observer = await ConnectionMultiplexer.ConnectAsync(observerOptions);
        // Every master: one server, or each master of a cluster (--redis with one or more of its nodes).
        IReadOnlyList<IServer> masters = [.. observer.GetEndPoints().Select(e => observer.GetServer(e)).Where(s => s.IsConnected && !s.IsReplica)];
        var version = masters[0].Version;
        Console.WriteLine(own is null ? $"redis {version} at {settings.Redis}: {masters.Count} master(s)" : $"redis-server {version} of its own on port {own.Port}");

        var points = new List<OwnershipPoint>();
        var index = 0;
        foreach (var sessions in settings.SessionCounts)
        {
            foreach (var replicas in settings.ReplicaCounts)
            {
                if (points.FirstOrDefault(p => p.Dominates(sessions, replicas)) is { } smaller)
                {
                    // Not run: it could not be faithful either, and its scans would only grow the harness's memory.
                    var why = $"not run: {smaller.Sessions} × {smaller.Replicas} was already bound by {smaller.BoundBy}";
                    Console.WriteLine($"-- {sessions} sessions x {replicas} replicas: {why} --");
                    points.Add(new OwnershipPoint(sessions, replicas, "n/a", false, false, smaller.BoundBy, true, why, []));
                    continue;
                }
                if ((long)sessions * replicas > settings.MaxSessionReplicaPairs)
                {
                    var why = $"not run: {sessions} × {replicas} is over --max-pairs {settings.MaxSessionReplicaPairs} (the harness's memory: every simulated replica holds what its scans hold)";
                    Console.WriteLine($"-- {sessions} sessions x {replicas} replicas: {why} --");
                    points.Add(new OwnershipPoint(sessions, replicas, "n/a", false, false, "harness", false, why, []));
                    continue;
                }
                if (own is not null)
                {
                    await masters[0].FlushAllDatabasesAsync();
                }
                try
                {
                    points.Add(await OwnershipLoadScenario.RunAsync(settings, sessions, replicas, connectionString, masters, ++index));
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException or RtmsGateway.Ownership.OwnershipStoreUnavailableException or OutOfMemoryException)
                {
                    // The point could not be run at all (Redis or the harness gave way): said so, and the grid goes on.
                    Console.WriteLine($"  point failed: {ex.GetType().Name}: {ex.Message}");
                    points.Add(new OwnershipPoint(sessions, replicas, "n/a", false, false, "harness", true, $"NOT RUN TO THE END: {ex.GetType().Name}: {ex.Message}", []));
                }
            }
        }
        await WriteAsync(settings, command, commit, version.ToString(), points);
        return 0;
    }

    private static async Task WriteAsync(OwnershipLoadSettings settings, string command, string commit, string redisVersion, List<OwnershipPoint> points)
    {
        Directory.CreateDirectory(settings.OutputDirectory);
        var machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, redis {redisVersion}";
        var results = new OwnershipResults(DateTimeOffset.UtcNow, machine, commit, command, settings.LeaseTtl.TotalSeconds, settings.ScanInterval.TotalSeconds, [.. points]);
        var path = Path.Combine(settings.OutputDirectory, settings.OutputName);
        await File.WriteAllTextAsync(path + ".json", JsonSerializer.Serialize(results, OwnershipJsonContext.Default.OwnershipResults));
        var md = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Ownership load model ({results.At:yyyy-MM-dd HH:mm} UTC, commit {commit})")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/RtmsGateway.Benchmarks -- {command}`")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine}. Lease TTL {results.LeaseTtlSeconds} s (renewed every third), takeover scan every {results.ScanIntervalSeconds} s (+ up to half of it as jitter).")
            .AppendLine()
            .Append("| figure | unit |");
        foreach (var p in points)
        {
            md.Append(CultureInfo.InvariantCulture, $" {p.Sessions} × {p.Replicas} |");
        }
        md.AppendLine().Append("|---|---|").AppendLine(string.Concat(points.Select(_ => "---:|")));
        md.Append("| load average (1, 5, 15 min) | |").AppendLine(string.Concat(points.Select(p => $" {p.Load} |")));
        md.Append("| verdict | |").AppendLine(string.Concat(points.Select(p => $" {p.Verdict} |")));
        var names = points.SelectMany(p => p.Figures.Select(f => (f.Name, f.Unit))).Distinct().ToList();
        foreach (var (name, unit) in names)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {name} | {unit} |");
            foreach (var p in points)
            {
                md.Append(' ').Append(p.Figures.FirstOrDefault(f => f.Name == name)?.Display ?? "0").Append(" |");
            }
            md.AppendLine();
        }
        await File.WriteAllTextAsync(path + ".md", md.ToString());
        Console.WriteLine($"written: {path}.json/.md");
    }

    private static async Task<string> CommitAsync()
    {
        try
        {
            var head = await ExternalProcess.RunAsync("git", ["rev-parse", "--short=12", "HEAD"], TimeSpan.FromSeconds(10), RepositoryPaths.Root);
            var dirty = await ExternalProcess.RunAsync("git", ["status", "--porcelain", "--untracked-files=no"], TimeSpan.FromSeconds(10), RepositoryPaths.Root);
            return head.Output.Trim() + (dirty.Output.Trim().Length > 0 ? "+changes" : string.Empty);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            return "unknown";
        }
    }
}

internal sealed record OwnershipResults(DateTimeOffset At, string Machine, string Commit, string Command, double LeaseTtlSeconds, double ScanIntervalSeconds, OwnershipPoint[] Points);

[JsonSourceGenerationOptions(WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(OwnershipResults))]
internal sealed partial class OwnershipJsonContext : JsonSerializerContext;
