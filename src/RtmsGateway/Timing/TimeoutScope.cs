namespace RtmsGateway.Timing;

/// <summary>
/// A token cancelled when an outer token is, or when <c>timeout</c> has passed on the injected clock (so timeouts follow a
/// fake clock in tests, unlike <see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/>). <see cref="TimedOut"/> tells
/// the two apart.
/// </summary>
internal sealed class TimeoutScope : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;

    public TimeoutScope(TimeSpan timeout, TimeProvider time, CancellationToken outer)
    {
        _timer = new CancellationTokenSource(timeout, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(outer, _timer.Token);
    }

    public CancellationToken Token => _linked.Token;

    /// <summary>The timeout (not the outer token) cancelled the scope.</summary>
    public bool TimedOut => _timer.IsCancellationRequested;

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}
