namespace RtmsGateway.Tests.Chaos;

/// <summary>What the fault in progress makes acceptable, read by the consumers as they classify how a call ended.</summary>
internal sealed class ChaosConditions
{
    private volatile bool _redisEmptied;

    /// <summary>Redis came back empty and the cluster has not republished its sessions yet: a replica that cannot know
    /// a session may answer NOT_FOUND (tolerated, counted) until the cluster is ready again.</summary>
    public bool RedisEmptied
    {
        get => _redisEmptied;
        set => _redisEmptied = value;
    }
}
