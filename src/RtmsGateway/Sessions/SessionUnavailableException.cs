namespace RtmsGateway.Sessions;

/// <summary>
/// This replica stopped serving a session that lives on (it drains, or lost the session's lease): its subscribers reconnect
/// and resume, on any replica. The gRPC layer ends their calls with UNAVAILABLE and the resume point, reason DRAINING
/// when <paramref name="draining"/> (the replica shuts down), else OWNER_LOST.
/// </summary>
internal sealed class SessionUnavailableException(string message, bool draining) : Exception(message)
{
    /// <summary>The replica is shutting down (rather than having lost the session).</summary>
    public bool Draining { get; } = draining;
}
