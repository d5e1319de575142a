namespace RtmsGateway.Benchmarks.Ownership;

/// <summary>Takeover scans across every replica of a run: how many, how long each took, how many failed.</summary>
internal sealed class ScanTally
{
    private readonly Lock _lock = new();
    private readonly List<double> _durationsMs = [];
    private long _failed;

    public void Completed(TimeSpan duration)
    {
        lock (_lock)
        {
            _durationsMs.Add(duration.TotalMilliseconds);
        }
    }

    public void Failed() => Interlocked.Increment(ref _failed);

    public ScanWindow TakeWindow()
    {
        double[] durations;
        lock (_lock)
        {
            durations = [.. _durationsMs.Order()];
            _durationsMs.Clear();
        }
        return new ScanWindow(durations.Length, Interlocked.Exchange(ref _failed, 0),
            durations.Length == 0 ? 0 : durations[durations.Length / 2],
            durations.Length == 0 ? 0 : durations[^1]);
    }
}

internal sealed record ScanWindow(int Scans, long Failed, double MedianMs, double MaxMs);
