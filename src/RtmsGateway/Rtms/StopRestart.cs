using RtmsGateway.Protocol;

namespace RtmsGateway.Rtms;

/// <summary>
/// The full restart Zoom's failover guide asks for after a stop with reason 10-19 or 24 (§3.8, §5.2): a bounded number of
/// fresh signaling handshakes. Zoom either accepts one (the stream goes on) or refuses it (the stream is over, and ends
/// with the reason Zoom gave).
/// </summary>
internal sealed class StopRestart(int attempts)
{
    private int _left;

    /// <summary>The stop reason being restarted from; null when no restart is under way.</summary>
    public StopReason? StoppedBy { get; private set; }

    public static bool IsRestartable(StopReason reason) =>
        reason is >= StopReason.InternalException and <= StopReason.AwaitReconnectionTimeout or StopReason.KeepAliveTimeout;

    /// <summary>Starts a restart after <paramref name="reason"/>; true when this is a new restart (its first attempt goes at once).</summary>
    public bool Begin(StopReason reason)
    {
        if (StoppedBy is not null)
        {
            return false;
        }
        StoppedBy = reason;
        _left = attempts;
        return true;
    }

    /// <summary>Takes one attempt; false when none is left.</summary>
    public bool TryAttempt() => _left-- > 0;

    /// <summary>A handshake succeeded: the stream lives.</summary>
    public void Clear() => StoppedBy = null;
}
