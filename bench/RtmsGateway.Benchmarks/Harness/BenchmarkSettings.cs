namespace RtmsGateway.Benchmarks.Harness;

/// <summary>Run sizes: the full run that produces docs/performance.md, or the ~20 s smoke run CI executes.</summary>
/// <remarks>The full run warms each gateway up for 15 s (<c>--warmup</c>): tiered compilation with dynamic PGO keeps the JIT
/// busy for about ten seconds after the load starts, and on two cores that alone costs a large part of a core.</remarks>
internal sealed record BenchmarkSettings(
    bool Smoke,
    int[] MeetingCounts,
    int[] FanoutCounts,
    TimeSpan Warmup,
    TimeSpan Window,
    bool Cluster,
    string OutputDirectory)
{
    /// <summary>A git ref whose gateway is built beside the working tree and measured in the same run (<c>--baseline</c>).</summary>
    public string? Baseline { get; init; }

    /// <summary>Measurement windows per scenario (<c>--windows</c>; figures are their medians, with min and max).</summary>
    public int Windows { get; init; } = 3;

    /// <summary>The gateway build the scenarios run (null: the working tree's Release build).</summary>
    public string? GatewayDll { get; init; }

    /// <summary>Where to write profiles of each working-tree gateway scenario (<c>--profile &lt;dir&gt;</c>); null: none.</summary>
    public string? ProfileDirectory { get; init; }

    /// <summary>
    /// <c>--pin</c>: the gateway on CPU 1, this process (simulator, subscribers, direct consumers) on CPU 0, so the gateway's
    /// figures are those of one core of its own.
    /// </summary>
    public bool Pinned { get; init; }

    public static BenchmarkSettings Parse(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var output = ValueOf(args, "--out") ?? Path.Combine(Testing.RepositoryPaths.Root, "bench", "results");
        var parsed = smoke
            ? new BenchmarkSettings(true, [20], [1, 50], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), !args.Contains("--no-cluster"), output)
            : new BenchmarkSettings(false, ParseCounts(ValueOf(args, "--meetings")) ?? [100, 500, 1000, 1500], ParseCounts(ValueOf(args, "--fanout")) ?? [1, 100, 1000],
                Seconds(ValueOf(args, "--warmup")) ?? TimeSpan.FromSeconds(15), Seconds(ValueOf(args, "--window")) ?? TimeSpan.FromSeconds(10), !args.Contains("--no-cluster"), output);
        return parsed with
        {
            Baseline = ValueOf(args, "--baseline"),
            Windows = smoke ? 1 : ParseCounts(ValueOf(args, "--windows"))?[0] ?? 3,
            ProfileDirectory = ValueOf(args, "--profile"),
            Pinned = args.Contains("--pin"),
        };
    }

    private static string? ValueOf(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static TimeSpan? Seconds(string? text) =>
        text is null ? null : TimeSpan.FromSeconds(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));

    private static int[]? ParseCounts(string? text) =>
        text is null ? null : [.. text.Split(',').Select(t => int.Parse(t, System.Globalization.CultureInfo.InvariantCulture))];
}
