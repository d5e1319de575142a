using RtmsGateway.Api.V1;

namespace RtmsGateway.Sessions;

/// <summary>
/// The sessions of the whole cluster as subscribers see them: <c>ListSessions</c>, and the lifecycle changes behind
/// <c>WatchSessions</c> and <c>wait_for_start</c>. Single node: this replica's sessions. Cluster: every replica's, via Redis.
/// </summary>
internal interface ISessionCatalog
{
    /// <summary>Records and broadcasts a change of a session this replica owns.</summary>
    void Announce(SessionInfo info, SessionChange change);

    Task<IReadOnlyList<SessionInfo>> ListAsync(bool includeStopped, string instanceId, CancellationToken ct);

    /// <summary>The session of a subscription target (by stream id, or the newest live stream of an instance), or null.</summary>
    Task<SessionInfo?> FindAsync(string streamId, string instanceId, CancellationToken ct);
}
