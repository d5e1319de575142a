using System.Collections.Concurrent;
using RtmsGateway.Api.V1;

namespace RtmsGateway.Sessions;

/// <summary>
/// The sessions whose hub lives on this replica (the ones it owns, and stopped ones kept for late readers), looked up by
/// stream id or instance id. Lifecycle changes of these hubs go to the <see cref="ISessionCatalog"/>.
/// </summary>
internal sealed class SessionDirectory
{
    private readonly ConcurrentDictionary<string, SessionHub> _byStream = new(StringComparer.Ordinal);

    public int Count => _byStream.Count;

    public IEnumerable<SessionHub> Hubs => _byStream.Values;

    /// <summary>Adds a hub, replacing (and forgetting) a stopped or handed-over hub of the same stream.</summary>
    public void Add(SessionHub hub)
    {
        SessionHub? replaced = null;
        _byStream.AddOrUpdate(hub.StreamId, hub, (_, previous) =>
        {
            replaced = previous;
            return hub;
        });
        if (replaced is not null && !ReferenceEquals(replaced, hub))
        {
            replaced.ReleaseReplay();
        }
    }

    /// <summary>Forgets a hub: what it retained for replay is freed (and leaves the replica's replay account).</summary>
    public void Remove(SessionHub hub)
    {
        if (_byStream.TryRemove(new KeyValuePair<string, SessionHub>(hub.StreamId, hub)))
        {
            hub.ReleaseReplay();
        }
    }

    public SessionHub? FindByStream(string streamId) => _byStream.GetValueOrDefault(streamId);

    /// <summary>The newest live stream of an instance, else its newest stopped one.</summary>
    public SessionHub? FindByInstance(string instanceId) =>
        _byStream.Values.Where(h => h.InstanceId == instanceId)
            .OrderBy(h => h.IsStopped)
            .ThenByDescending(h => h.Record.AcceptedAt)
            .FirstOrDefault();

    public SessionHub? Find(SubscriptionTarget target) =>
        target.RtmsStreamId.Length > 0 ? FindByStream(target.RtmsStreamId) : FindByInstance(target.InstanceId);

    public IReadOnlyList<SessionInfo> List(bool includeStopped, string instanceId) =>
        [.. _byStream.Values
            .Where(h => (includeStopped || !h.IsStopped) && (instanceId.Length == 0 || h.InstanceId == instanceId))
            .Select(h => h.Snapshot())
            .OrderBy(s => s.StartedAt.ToDateTimeOffset())];
}
