namespace RtmsGateway.Hosting.Connections;

/// <summary>
/// Counts inbound connections on every endpoint together and refuses one over the budget. Kestrel's
/// <c>MaxConcurrentConnections</c> counts each endpoint on its own, so two ports let in twice the limit, enough to reach
/// the descriptor limit, where accept() fails in a busy loop and outbound RTMS and Redis sockets cannot be opened.
/// Thread-safe.
/// </summary>
internal sealed class TotalConnectionBudget(long limit)
{
    private long _open;

    public long Limit => limit;

    public long Open => Volatile.Read(ref _open);

    public bool TryAcquire()
    {
        if (Interlocked.Increment(ref _open) <= limit)
        {
            return true;
        }
        Interlocked.Decrement(ref _open);
        return false;
    }

    public void Release() => Interlocked.Decrement(ref _open);
}
