namespace RtmsGateway.Benchmarks.Harness;

/// <summary>Latency samples in milliseconds (thread-safe appends) and their percentiles.</summary>
internal sealed class LatencySamples
{
    private readonly Lock _lock = new();
    private readonly List<double> _values = [];

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _values.Count;
            }
        }
    }

    public void Add(double milliseconds)
    {
        lock (_lock)
        {
            _values.Add(milliseconds);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _values.Clear();
        }
    }

    /// <summary>Percentile by nearest rank; NaN when empty.</summary>
    public double Percentile(double p)
    {
        lock (_lock)
        {
            if (_values.Count == 0)
            {
                return double.NaN;
            }
            var sorted = _values.Order().ToArray();
            var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
        }
    }
}
