namespace RtmsGateway.Benchmarks.Harness;

/// <summary>Run sizes: the full run that produces docs/performance.md, or the ~20 s smoke run CI executes.</summary>
internal sealed record BenchmarkSettings(
    bool Smoke,
    int[] MeetingCounts,
    int[] FanoutCounts,
    TimeSpan Warmup,
    TimeSpan Window,
    bool Cluster,
    string OutputDirectory)
{
    public static BenchmarkSettings Parse(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var output = ValueOf(args, "--out") ?? Path.Combine(Testing.RepositoryPaths.Root, "bench", "results");
        return smoke
            ? new BenchmarkSettings(true, [20], [1, 50], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), !args.Contains("--no-cluster"), output)
            : new BenchmarkSettings(false, ParseCounts(ValueOf(args, "--meetings")) ?? [100, 500, 1000, 1500], ParseCounts(ValueOf(args, "--fanout")) ?? [1, 100, 1000],
                TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10), !args.Contains("--no-cluster"), output);
    }

    private static string? ValueOf(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int[]? ParseCounts(string? text) =>
        text is null ? null : [.. text.Split(',').Select(t => int.Parse(t, System.Globalization.CultureInfo.InvariantCulture))];
}
