using System.Collections.Concurrent;

namespace RtmsGateway.Benchmarks.Ownership;

/// <summary>Every claim a takeover scan won, by stream: which replica, and when (<see cref="TimeProvider.GetTimestamp"/>).</summary>
internal sealed class TakeoverLog
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(string Replica, long At)>> _claims = new(StringComparer.Ordinal);

    public void Claimed(string streamId, string replicaId, long at) =>
        _claims.GetOrAdd(streamId, _ => new ConcurrentQueue<(string, long)>()).Enqueue((replicaId, at));

    public int Count(string streamId) => _claims.TryGetValue(streamId, out var claims) ? claims.Count : 0;

    public IReadOnlyList<(string Replica, long At)> ClaimsOf(string streamId) => _claims.TryGetValue(streamId, out var claims) ? [.. claims] : [];

    /// <summary>Streams claimed that are not in <paramref name="expected"/>: a live owner's stream taken over.</summary>
    public int ClaimedOutside(IReadOnlySet<string> expected) => _claims.Keys.Count(id => !expected.Contains(id));
}
