using System.Diagnostics;
using System.Text;

namespace RtmsGateway.Tests.Chaos;

/// <summary>
/// The chaos run's log and verdict: a timestamped log (to the test output and a file), every violation with the fault
/// in progress, what each fault tolerated, and a rendering for the failure message. Thread-safe.
/// </summary>
internal sealed class ChaosReport : IDisposable
{
    private const int LoggedPerKind = 25;
    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<ChaosViolation> _violations = [];
    private readonly List<FaultRecord> _faults = [];
    private readonly Dictionary<ViolationKind, int> _counts = [];
    private readonly Dictionary<string, int> _toleratedCounts = new(StringComparer.Ordinal);
    private readonly Action<string> _output;
    private readonly StreamWriter _file;
    private FaultRecord? _current;
    private string _step = "startup";

    public ChaosReport(int seed, string logPath, Action<string> output)
    {
        Seed = seed;
        LogPath = logPath;
        _output = output;
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        _file = new StreamWriter(logPath, append: false, Encoding.UTF8) { AutoFlush = true };
    }

    public int Seed { get; }

    public string LogPath { get; }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The step in progress ("startup", a fault, "final checks").</summary>
    public string CurrentStep
    {
        get
        {
            lock (_lock)
            {
                return _current?.Name ?? _step;
            }
        }
    }

    public IReadOnlyList<ChaosViolation> Violations
    {
        get
        {
            lock (_lock)
            {
                return [.. _violations];
            }
        }
    }

    public void Log(string line)
    {
        var text = $"[{_clock.Elapsed.TotalSeconds,7:0.0}s] {line}";
        lock (_lock)
        {
            _file.WriteLine(text);
            try
            {
                _output(text);
            }
            catch (InvalidOperationException)
            {
                // The test already finished (a late background report): the file still has it.
            }
        }
    }

    public void Violation(ViolationKind kind, string detail)
    {
        int count;
        string step;
        lock (_lock)
        {
            step = _current?.Name ?? _step;
            _violations.Add(new ChaosViolation(kind, detail, _clock.Elapsed, step));
            count = _counts[kind] = _counts.GetValueOrDefault(kind) + 1;
            if (_current is { } fault)
            {
                fault.Violations++;
            }
        }
        if (count <= LoggedPerKind)
        {
            Log($"VIOLATION {kind}: {detail}");
        }
        else if (count == LoggedPerKind + 1)
        {
            Log($"VIOLATION {kind}: more of these are counted but not logged");
        }
    }

    /// <summary>Something the promise allows during this step (e.g. Zoom refusing a duplicate during a partition).</summary>
    public void Tolerated(string what, string detail)
    {
        int count;
        lock (_lock)
        {
            _current?.Tolerate(what);
            count = _toleratedCounts[what] = _toleratedCounts.GetValueOrDefault(what) + 1;
        }
        if (count <= LoggedPerKind)
        {
            Log($"tolerated {what}: {detail}");
        }
        else if (count == LoggedPerKind + 1)
        {
            Log($"tolerated {what}: more of these are counted (per fault) but not logged");
        }
    }

    public FaultRecord BeginFault(string name)
    {
        lock (_lock)
        {
            _current = new FaultRecord(_faults.Count + 1, name, _clock.Elapsed);
            _faults.Add(_current);
        }
        Log($"==== fault #{_current.Number}: {name}");
        return _current;
    }

    public void Healed(FaultRecord fault)
    {
        fault.HealedAt = _clock.Elapsed;
        fault.HealedWallClock = DateTimeOffset.UtcNow;
        Log($"---- healed: {fault.Name}");
    }

    public void EndFault(FaultRecord fault, bool recovered)
    {
        fault.Recovered = recovered;
        if (recovered && fault.HealedAt is { } healed)
        {
            fault.ReadyAfter = _clock.Elapsed - healed;
        }
        lock (_lock)
        {
            _current = null;
        }
        Log($"---- {fault}");
    }

    public void BeginStep(string name)
    {
        lock (_lock)
        {
            _current = null;
            _step = name;
        }
        Log($"==== {name}");
    }

    /// <summary>One line per kind with its count, most frequent first.</summary>
    public string Summary()
    {
        lock (_lock)
        {
            return _counts.Count == 0
                ? "no violations"
                : string.Join("; ", _counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key).Select(c => $"{c.Key} x{c.Value}"));
        }
    }

    /// <summary>The seed, the per-fault timeline, the counts and the first violations of every kind.</summary>
    public string Render(int detailsPerKind = 8)
    {
        var text = new StringBuilder();
        lock (_lock)
        {
            text.AppendLine($"Chaos run, seed {Seed} (rerun: RTMS_CHAOS_SEED={Seed}); {_violations.Count} violation(s) in {_clock.Elapsed.TotalSeconds:0}s; log {LogPath}");
            text.AppendLine("Faults:");
            foreach (var fault in _faults)
            {
                text.AppendLine("  " + fault);
            }
            text.AppendLine($"Violations by kind: {Summary()}");
            foreach (var group in _violations.GroupBy(v => v.Kind).OrderByDescending(g => g.Count()))
            {
                text.AppendLine($"  {group.Key} x{group.Count()}:");
                foreach (var violation in group.Take(detailsPerKind))
                {
                    text.AppendLine("    " + violation);
                }
            }
        }
        return text.ToString();
    }

    public void WriteToFile(string text)
    {
        lock (_lock)
        {
            _file.WriteLine(text);
        }
    }

    public void Dispose() => _file.Dispose();
}
