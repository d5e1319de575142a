namespace RtmsGateway.Rtms;

/// <summary>
/// Cancels its token once nothing was received for <c>timeout</c> (§3.9: a socket silent for 65 s is dead). A received
/// message only stores a timestamp, so the per-message cost is one clock read instead of re-arming a timer; a timer checks
/// four times per timeout, so silence is detected between 1 and 1.25 timeouts after the last message.
/// </summary>
internal sealed class SilenceWatchdog : IDisposable
{
    private readonly CancellationTokenSource _silent;
    private readonly ITimer _timer;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private long _lastSeen;

    public SilenceWatchdog(TimeSpan timeout, TimeProvider time, CancellationToken outer)
    {
        _time = time;
        _timeout = timeout;
        _lastSeen = time.GetTimestamp();
        _silent = CancellationTokenSource.CreateLinkedTokenSource(outer);
        var period = timeout / 4;
        _timer = time.CreateTimer(static state => ((SilenceWatchdog)state!).Check(), this, period, period);
    }

    /// <summary>Cancelled when the socket went silent (or the outer token was cancelled).</summary>
    public CancellationToken Token => _silent.Token;

    /// <summary>Something arrived.</summary>
    public void Seen() => Volatile.Write(ref _lastSeen, _time.GetTimestamp());

    private void Check()
    {
        if (_time.GetElapsedTime(Volatile.Read(ref _lastSeen)) < _timeout)
        {
            return;
        }
        try
        {
            _silent.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _silent.Dispose();
    }
}
