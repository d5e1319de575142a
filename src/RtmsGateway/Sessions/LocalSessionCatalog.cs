using RtmsGateway.Api.V1;

namespace RtmsGateway.Sessions;

/// <summary>The single-node <see cref="ISessionCatalog"/>: this replica's sessions, changes delivered in-process.</summary>
internal sealed class LocalSessionCatalog(SessionDirectory directory, SessionWatchers watchers) : ISessionCatalog
{
    public void Announce(SessionInfo info, SessionChange change) => watchers.Deliver(new WatchSessionsResponse { Change = change, Session = info });

    public Task<IReadOnlyList<SessionInfo>> ListAsync(bool includeStopped, string instanceId, CancellationToken ct) =>
        Task.FromResult(directory.List(includeStopped, instanceId));

    public Task<SessionInfo?> FindAsync(string streamId, string instanceId, CancellationToken ct)
    {
        var hub = streamId.Length > 0 ? directory.FindByStream(streamId) : directory.FindByInstance(instanceId);
        return Task.FromResult(hub?.Snapshot());
    }
}
