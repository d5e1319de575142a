using System.Globalization;

namespace RtmsGateway.Benchmarks.Ownership;

/// <summary>
/// The <c>ownership</c> command's settings: the grid of sessions × replicas, the windows, the Redis to drive (or none: the
/// harness starts its own redis-server), and the ownership timings (the gateway's defaults unless given).
/// </summary>
internal sealed record OwnershipLoadSettings(
    int[] SessionCounts,
    int[] ReplicaCounts,
    TimeSpan Warmup,
    TimeSpan Window,
    string? Redis,
    TimeSpan LeaseTtl,
    TimeSpan ScanInterval,
    string OutputDirectory,
    string OutputName)
{
    /// <summary>Sessions acquired concurrently while the fleet is built (the acquire phase is not measured).</summary>
    public int AcquireConcurrency { get; init; } = 256;

    /// <summary>
    /// Points with more sessions × replicas are not run (<c>--max-pairs</c>): the old design's scan holds two pending replies
    /// per session in every replica, and one process holds all the replicas. 1 000 000 by default (about 3 GB at 10k × 100).
    /// </summary>
    public long MaxSessionReplicaPairs { get; init; } = 1_000_000;

    /// <summary>The longest the takeover after a kill may take before the point is reported as not taken over.</summary>
    public TimeSpan TakeoverTimeout => LeaseTtl * 4 + ScanInterval * 4 + TimeSpan.FromSeconds(10);

    public static OwnershipLoadSettings Parse(string[] args)
    {
        var defaults = new Configuration.RedisOptions();
        return new OwnershipLoadSettings(
            Counts(ValueOf(args, "--sessions")) ?? [10_000],
            Counts(ValueOf(args, "--replicas")) ?? [10],
            Duration(ValueOf(args, "--warmup")) ?? TimeSpan.FromSeconds(10),
            Duration(ValueOf(args, "--duration")) ?? TimeSpan.FromSeconds(30),
            ValueOf(args, "--redis"),
            Duration(ValueOf(args, "--lease-ttl")) ?? defaults.LeaseTtl,
            Duration(ValueOf(args, "--scan-interval")) ?? defaults.TakeoverScanInterval,
            ValueOf(args, "--out") ?? Path.Combine(Testing.RepositoryPaths.Root, "bench", "results"),
            ValueOf(args, "--name") ?? "ownership")
        {
            MaxSessionReplicaPairs = ValueOf(args, "--max-pairs") is { } pairs ? long.Parse(pairs, CultureInfo.InvariantCulture) : 1_000_000,
        };
    }

    private static string? ValueOf(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>"30s", "500ms", "2m" or plain seconds ("30").</summary>
    internal static TimeSpan? Duration(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var (number, scale) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        return TimeSpan.FromSeconds(double.Parse(number, CultureInfo.InvariantCulture) * scale);
    }

    /// <summary>"10000,50000" or "10k,50k".</summary>
    private static int[]? Counts(string? text) =>
        text is null ? null : [.. text.Split(',').Select(t => t.EndsWith('k')
            ? int.Parse(t[..^1], CultureInfo.InvariantCulture) * 1000
            : int.Parse(t, CultureInfo.InvariantCulture))];
}
