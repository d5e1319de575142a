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

    /// <summary>How long a session's record is kept without being forgotten (a stream Zoom never stopped).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan RecordRetention { get; set; } = TimeSpan.FromHours(24);

    public bool Enabled => !string.IsNullOrWhiteSpace(ConnectionString);
}
