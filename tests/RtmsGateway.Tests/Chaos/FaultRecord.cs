namespace RtmsGateway.Tests.Chaos;

/// <summary>What happened during one step of the schedule: when it began and healed, how long the cluster took to be
/// ready again, and what was tolerated or violated meanwhile.</summary>
internal sealed class FaultRecord(int number, string name, TimeSpan startedAt)
{
    private readonly Dictionary<string, int> _tolerated = new(StringComparer.Ordinal);

    public int Number { get; } = number;

    public string Name { get; } = name;

    public TimeSpan StartedAt { get; } = startedAt;

    public TimeSpan? HealedAt { get; set; }

    /// <summary>The wall-clock time of the heal: messages the gateway received after it prove media flows again.</summary>
    public DateTimeOffset? HealedWallClock { get; set; }

    /// <summary>From the heal to "every live meeting streams again with one owner and delivers".</summary>
    public TimeSpan? ReadyAfter { get; set; }

    public bool Recovered { get; set; }

    public int Violations { get; set; }

    public IReadOnlyDictionary<string, int> Tolerated => _tolerated;

    public void Tolerate(string what) => _tolerated[what] = _tolerated.GetValueOrDefault(what) + 1;

    public override string ToString()
    {
        var ready = ReadyAfter is { } r ? $"ready {r.TotalSeconds:0.0}s after heal" : "never ready";
        var tolerated = _tolerated.Count == 0 ? string.Empty : "; tolerated: " + string.Join(", ", _tolerated.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key} x{t.Value}"));
        return $"#{Number,2} {Name,-44} at {StartedAt.TotalSeconds,6:0.0}s, {(Recovered ? ready : "NOT RECOVERED")}, {Violations} violation(s){tolerated}";
    }
}
