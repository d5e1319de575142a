namespace RtmsGateway.Rtms;

/// <summary>
/// A token bucket on the messages one stream's sockets may deliver per second. Over budget, the receive loops wait for
/// tokens instead of reading on: TCP pushes back on the sender and the flooding stream slows itself, while every other
/// stream keeps its share of the replica (nothing is dropped by the gateway, so nothing is lost without a gap). Shared by
/// a stream's signaling and media sockets; time from the injected clock.
/// </summary>
internal sealed class InboundRate(double perSecond, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly double _capacity = Math.Max(1, perSecond);
    private double _tokens = Math.Max(1, perSecond);
    private long _refilledAt = time.GetTimestamp();

    /// <summary>How long the caller must wait before it may read its next message (zero: at once). Takes the token.</summary>
    public TimeSpan Take()
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + (time.GetElapsedTime(_refilledAt, now).TotalSeconds * perSecond));
            _refilledAt = now;
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / perSecond);
        }
    }
}
