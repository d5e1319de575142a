using System.Globalization;
using System.Text;

namespace RtmsGateway.Ownership;

/// <summary>
/// The Redis key and channel layout, in one place. Built for Redis Cluster and identical on a single Redis:
/// <list type="bullet">
/// <item>Every per-stream key carries the stream id as its hash tag (<c>{prefix}lease:{&lt;id&gt;}</c>), so the stream's
/// lease, epoch, record, info and history live in one slot and each per-stream script touches that slot only.</item>
/// <item>What used to be global (the set of records, the session index, the lease deadlines, the lifecycle channel) is
/// split into <see cref="ShardCount"/> shards by a stable hash of the stream id; one shard's keys share the hash tag
/// <c>{&lt;prefix&gt;s&lt;n&gt;}</c>, so a shard's index scripts are single-slot too and the shards spread over the masters.</item>
/// <item>Per-replica things (the advertised address, the command channel) carry the replica id as hash tag.</item>
/// </list>
/// The prefix is part of the shard tag so two gateways sharing a cluster do not pile their shards onto the same slots.
/// </summary>
internal sealed class RedisKeys
{
    public const int DefaultShardCount = 16;

    private readonly string _prefix;
    private readonly string[] _shardTags;

    public RedisKeys(string prefix, int shardCount = DefaultShardCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        _prefix = prefix;
        ShardCount = shardCount;
        _shardTags = [.. Enumerable.Range(0, shardCount).Select(s => string.Create(CultureInfo.InvariantCulture, $"{{{prefix}s{s}}}"))];
    }

    /// <summary>How many shards the global indexes are split into. Every replica of a fleet must use the same count.</summary>
    public int ShardCount { get; }

    public string Prefix => _prefix;

    /// <summary>The shard of a stream: FNV-1a of its UTF-8 id, modulo <see cref="ShardCount"/> (stable across processes).</summary>
    public int ShardOf(string streamId)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(streamId))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }
        return (int)(hash % (uint)ShardCount);
    }

    /// <summary>String "replicaId|epoch" with the lease TTL. The truth about who owns a stream.</summary>
    public string Lease(string streamId) => $"{_prefix}lease:{{{streamId}}}";

    /// <summary>Counter: the fencing epoch of the stream, incremented by every new owner.</summary>
    public string Epoch(string streamId) => $"{_prefix}epoch:{{{streamId}}}";

    /// <summary>JSON <see cref="SessionRecord"/>: what a taking-over replica needs to connect.</summary>
    public string Record(string streamId) => $"{_prefix}record:{{{streamId}}}";

    /// <summary>Protobuf SessionInfo of a session (the cluster-wide session list), with a TTL once stopped.</summary>
    public string Info(string streamId) => $"{_prefix}info:{{{streamId}}}";

    /// <summary>
    /// Stream of one reliable channel's published messages (transcripts or events): entry id <c>epoch-n</c> (the message's
    /// sequence), fields <c>u</c> (participant) and <c>m</c> (the encoded response).
    /// </summary>
    public string History(string streamId, string channel) => $"{_prefix}history:{{{streamId}}}:{channel}";

    /// <summary>Shard set of stream ids with a record: what the slow safety sweep walks (SSCAN) to rebuild <see cref="Deadlines"/>.</summary>
    public string Active(int shard) => $"{_prefix}active:{_shardTags[shard]}";

    /// <summary>
    /// Shard sorted set: stream id → the lease's deadline (unix ms). An index for orphan detection only, written after the
    /// lease by a separate command: it may be stale or miss entries, and every hit is re-checked against the lease key.
    /// </summary>
    public string Deadlines(int shard) => $"{_prefix}deadlines:{_shardTags[shard]}";

    /// <summary>Shard set of stream ids with a SessionInfo (the cluster-wide session list).</summary>
    public string Sessions(int shard) => $"{_prefix}sessions:{_shardTags[shard]}";

    /// <summary>Sharded pub/sub channel (SPUBLISH) of the lifecycle changes of one shard's sessions (protobuf WatchSessionsResponse).</summary>
    public string Lifecycle(int shard) => $"{_prefix}lifecycle:{_shardTags[shard]}";

    /// <summary>Sharded pub/sub channel of webhook instructions forwarded to one replica, the owner of the stream (JSON).</summary>
    public string Commands(string replicaId) => $"{_prefix}commands:{{{replicaId}}}";

    /// <summary>A replica's advertised internal gRPC address, with a TTL refreshed by the replica.</summary>
    public string Replica(string replicaId) => $"{_prefix}replica:{{{replicaId}}}";

    /// <summary>
    /// Sorted set of live replicas: replica id → last heartbeat (unix ms). Touched once per replica per heartbeat, never per
    /// session; it decides which replicas scan which shards for orphans.
    /// </summary>
    public string Members => $"{_prefix}members";
}
