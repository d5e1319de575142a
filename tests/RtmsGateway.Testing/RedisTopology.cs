namespace RtmsGateway.Testing;

/// <summary>Which kind of Redis a test runs against.</summary>
public enum RedisTopology
{
    /// <summary>One redis-server.</summary>
    Standalone,

    /// <summary>A Redis Cluster of three masters on loopback.</summary>
    Cluster,

    /// <summary>A Redis Cluster of three masters with one replica each (for master failover).</summary>
    ClusterWithReplicas,
}
