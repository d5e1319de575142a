using StackExchange.Redis;

namespace RtmsGateway.Ownership;

/// <summary>
/// Makes the client re-read a Redis Cluster's topology at once when a call failed because its slot map is stale. After a
/// master failover StackExchange.Redis refuses commands for the demoted master's slots on the client side ("cannot be
/// issued to a replica") until its next periodic topology check, which sends nothing to the server and so never earns the
/// MOVED that would correct it. An owner retries its renewal every 250 ms while Redis is unavailable; re-reading the
/// topology on the first refusal lets that retry reach the new master well within the lease TTL. At most once a second.
/// </summary>
internal sealed class RedisTopologyRefresh(IConnectionMultiplexer redis, TimeProvider time)
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    private long _last = long.MinValue;

    /// <summary>Inspects a failed call; if the slot map is stale, starts a topology refresh (fire and forget).</summary>
    public void OnFailure(Exception failure)
    {
        if (!IsStaleTopology(failure))
        {
            return;
        }
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _last);
        if ((last != long.MinValue && time.GetElapsedTime(last, now) < MinInterval) || Interlocked.CompareExchange(ref _last, now, last) != last)
        {
            return;
        }
        _ = RefreshAsync();
    }

    private async Task RefreshAsync()
    {
        try
        {
            await redis.ConfigureAsync();
        }
        catch (Exception ex) when (RedisCall.IsFailure(ex))
        {
            // The periodic check tries again.
        }
    }

    private static bool IsStaleTopology(Exception failure)
    {
        for (var ex = failure; ex is not null; ex = ex.InnerException)
        {
            if (ex is RedisCommandException && ex.Message.Contains("replica", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
