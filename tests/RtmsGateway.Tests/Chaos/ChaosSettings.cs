using System.Globalization;

namespace RtmsGateway.Tests.Chaos;

/// <summary>
/// How a chaos run is shaped. The short run (the test suite's) has a fixed seed and the fixed short schedule; the long
/// run takes <c>RTMS_CHAOS_DURATION</c> (e.g. <c>30m</c>, <c>2h</c>) and <c>RTMS_CHAOS_SEED</c> (a new random seed
/// when unset; printed first, so a failing run can be replayed). Logs go to <c>RTMS_CHAOS_LOG_DIR</c> (default
/// <c>$TMPDIR/rtms-chaos</c>).
/// </summary>
internal sealed record ChaosSettings(int Seed, TimeSpan? Duration)
{
    public const string DurationVariable = "RTMS_CHAOS_DURATION";
    public const string SeedVariable = "RTMS_CHAOS_SEED";
    public const string LogDirectoryVariable = "RTMS_CHAOS_LOG_DIR";

    /// <summary>The short run's seed: change it only together with checking the new schedule still fits ~2 minutes.</summary>
    public const int ShortRunSeed = 20_251_202;

    public int Replicas { get; init; } = 3;

    public int Meetings { get; init; } = 4;

    /// <summary>How long the cluster may take after a fault heals until every live meeting streams again with one
    /// owner and delivers to every subscriber. Failover targets seconds; this is generous for a loaded 2-core machine.</summary>
    public TimeSpan ReadinessTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>The short run stops drawing faults after this (only reached when the gateway fails to recover)...</summary>
    public TimeSpan? ScheduleBudget => Duration is null ? TimeSpan.FromMinutes(2.5) : null;

    /// <summary>...and from this point on every wait of the short run is cut to a few seconds, so a gateway that never
    /// recovers still ends the test well inside the suite's 5-minute hang timeout.</summary>
    public TimeSpan? HardDeadline => Duration is null ? TimeSpan.FromMinutes(3.5) : null;

    public bool IsLongRun => Duration is not null;

    public string LogPath => Path.Combine(
        Environment.GetEnvironmentVariable(LogDirectoryVariable) is { Length: > 0 } dir ? dir : Path.Combine(Path.GetTempPath(), "rtms-chaos"),
        string.Create(CultureInfo.InvariantCulture, $"chaos-{(IsLongRun ? "long" : "short")}-seed{Seed}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.log"));

    public static ChaosSettings ShortRun() => new(ShortRunSeed, null);

    /// <summary>The long run from the environment, or null when <c>RTMS_CHAOS_DURATION</c> is not set.</summary>
    public static ChaosSettings? LongRunFromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(DurationVariable) is not { Length: > 0 } duration)
        {
            return null;
        }
        var seed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } text
            ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        return new ChaosSettings(seed, ParseDuration(duration));
    }

    /// <summary><c>90s</c>, <c>30m</c>, <c>2h</c>, <c>500ms</c> or a TimeSpan (<c>00:30:00</c>).</summary>
    public static TimeSpan ParseDuration(string text)
    {
        double Number(int suffix) => double.Parse(text[..^suffix], NumberStyles.Float, CultureInfo.InvariantCulture);
        return text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => TimeSpan.FromMilliseconds(Number(2)),
            _ when text.EndsWith('s') => TimeSpan.FromSeconds(Number(1)),
            _ when text.EndsWith('m') => TimeSpan.FromMinutes(Number(1)),
            _ when text.EndsWith('h') => TimeSpan.FromHours(Number(1)),
            _ => TimeSpan.Parse(text, CultureInfo.InvariantCulture),
        };
    }
}
