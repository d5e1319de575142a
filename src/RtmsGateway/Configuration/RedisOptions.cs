using System.ComponentModel.DataAnnotations;

namespace RtmsGateway.Configuration;

/// <summary>
/// Cluster coordination through Redis (section <c>Redis</c>). Without a connection string the gateway runs single-node
/// with in-memory ownership.
/// </summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>StackExchange.Redis configuration string, e.g. <c>redis:6379,abortConnect=false</c>. Empty = single node.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Prefix of every key and channel, so several gateways can share one Redis.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9:_.-]{1,64}$")]
    public string KeyPrefix { get; set; } = "rtms:";

    /// <summary>Ownership lease lifetime; the owner renews every third of it. Bounds failover time.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often each replica looks for sessions whose owner's lease expired, to take them over.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan TakeoverScanInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many shards the fleet-wide indexes (records, lease deadlines, session list, lifecycle channel) are split into by a
    /// hash of the stream id; on Redis Cluster the shards spread over the masters. Every replica of a fleet must use the same
    /// value (changing it means draining the fleet, like a key-layout upgrade).
    /// </summary>
    [Range(1, 1024)]
    public int ShardCount { get; set; } = 16;

    /// <summary>How many live replicas scan each shard for orphaned sessions (chosen by rendezvous hashing); the total scan
    /// work is shards × this, whatever the fleet size.</summary>
    [Range(1, 16)]
    public int ScannersPerShard { get; set; } = 2;

    /// <summary>How often a scanning replica walks each of its shards' record sets to repair the lease-deadline index
    /// (entries lost with a failed write or a failed-over master). Cost: one SSCAN pass over the shard.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan OrphanSweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a session's record is kept without being forgotten (a stream Zoom never stopped).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan RecordRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Transcripts and events per channel the Redis history (a Stream per session and channel) keeps at most; Redis trims
    /// the oldest (approximately, in whole nodes) beyond it, and a reader asking for them gets a RETENTION_EXCEEDED Gap.
    /// </summary>
    [Range(100, 10_000_000)]
    public int HistoryMaxLength { get; set; } = 100_000;

    /// <summary>How long a session's Redis history stays readable after the session ends (STREAM_REVOKED deletes it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan HistoryRetentionAfterEnd { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Safety TTL of a live session's history, refreshed by every write: a fleet that crashed leaves nothing behind
    /// for longer than this after the last message.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan HistoryLiveTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a transcript or event waits for Redis to acknowledge it before it is fanned out to subscribers anyway. Items
    /// are fanned out once stored (sub-millisecond on a healthy Redis), so whatever a subscriber saw survives a crash of the
    /// owner; the bound keeps transcripts flowing while Redis is slow or down (such items may be lost with the owner, and a
    /// reader missing them then gets a Gap). 0 = never wait (write-behind).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan HistoryWriteWait { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Bytes of transcripts and events this replica holds for Redis while it cannot write them (an outage); beyond it
    /// new items are not stored in Redis (readers of the history later get a Gap for them; live subscribers get them).</summary>
    [Range(1024 * 1024, 4L * 1024 * 1024 * 1024)]
    public long HistoryMaxPendingBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How long a <c>from_start</c> or resuming reader waits for the Redis history before it is served what this
    /// replica holds, the rest announced by a Gap.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan HistoryReadTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public bool Enabled => !string.IsNullOrWhiteSpace(ConnectionString);
}
