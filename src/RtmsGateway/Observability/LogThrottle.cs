namespace RtmsGateway.Observability;

/// <summary>
/// Lets one log line through per interval and counts the rest, so input an outsider controls (unsigned webhooks, hostile
/// frames) cannot turn into a log flood: the next line that goes through says how many were suppressed. Thread-safe.
/// </summary>
internal sealed class LogThrottle(TimeProvider time, TimeSpan interval)
{
    private readonly Lock _lock = new();
    private long _next = long.MinValue;
    private long _suppressed;

    /// <summary>True when this occurrence should be logged; <paramref name="suppressed"/> is how many were not since the last.</summary>
    public bool ShouldLog(out long suppressed)
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            if (_next != long.MinValue && now < _next)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }
            _next = now + (long)(interval.TotalSeconds * time.TimestampFrequency);
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
