namespace RtmsGateway.Sessions;

/// <summary>Set when the replica begins shutting down: readiness turns off and new sessions are not accepted.</summary>
internal sealed class DrainState
{
    private int _draining;

    public bool IsDraining => Volatile.Read(ref _draining) == 1;

    public void BeginDrain() => Interlocked.Exchange(ref _draining, 1);
}
