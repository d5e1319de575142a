namespace RtmsGateway.Rtms;

/// <summary>Reconnect delays of §5.2: start at the initial delay, double, cap at the maximum, reset after success.</summary>
internal sealed class ReconnectBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    public ReconnectBackoff(TimeSpan initial, TimeSpan max)
    {
        _initial = initial;
        _max = max;
        _next = initial;
    }

    public TimeSpan Next()
    {
        var delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(_max.Ticks, _next.Ticks * 2));
        return delay;
    }

    public void Reset() => _next = _initial;
}
