namespace RtmsGateway.Rtms;

/// <summary>
/// Reconnect delays of §5.2: start at the initial delay, double, cap at the maximum, reset after success. Each delay is
/// drawn uniformly from the upper half of its nominal value (3 s → 1.5-3 s … 30 s → 15-30 s), so streams that lost Zoom
/// together do not reconnect in lockstep and no delay exceeds the guide's.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan initial, TimeSpan max, Random? jitter = null)
{
    private readonly TimeSpan _initial = initial;
    private TimeSpan _nominal = initial;

    /// <summary>The nominal (un-jittered) value of the next delay.</summary>
    public TimeSpan NextNominal => _nominal;

    public TimeSpan Next()
    {
        var nominal = _nominal;
        _nominal = TimeSpan.FromTicks(Math.Min(max.Ticks, _nominal.Ticks * 2));
        if (jitter is null)
        {
            return nominal;
        }
        return TimeSpan.FromTicks((nominal.Ticks / 2) + (long)(jitter.NextDouble() * (nominal.Ticks / 2)));
    }

    public void Reset() => _nominal = _initial;
}
