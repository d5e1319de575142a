using System.Globalization;
using StackExchange.Redis;

namespace RtmsGateway.Tests.Cluster;

/// <summary>
/// Counts the commands Redis executed, from <c>INFO commandstats</c> summed over every master (one node on a standalone
/// Redis): how a test measures Redis work without trusting the client.
/// </summary>
public static class RedisCommandCounter
{
    /// <summary>The ownership layer's data commands (not the client's own PING/INFO/CLUSTER traffic).</summary>
    public static readonly string[] OwnershipCommands = ["eval", "evalsha", "get", "set", "del", "exists", "pttl", "zadd", "zrem", "zrangebyscore", "sscan", "sadd", "srem", "smembers"];

    /// <summary>Calls per command name, summed over the masters.</summary>
    public static async Task<Dictionary<string, long>> SnapshotAsync(IConnectionMultiplexer redis)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var endpoint in redis.GetEndPoints())
        {
            var server = redis.GetServer(endpoint);
            if (!server.IsConnected || server.IsReplica)
            {
                continue;
            }
            foreach (var group in await server.InfoAsync("commandstats"))
            {
                foreach (var (key, value) in group)
                {
                    if (!key.StartsWith("cmdstat_", StringComparison.Ordinal))
                    {
                        continue;
                    }
                    var calls = value.Split(',').First(p => p.StartsWith("calls=", StringComparison.Ordinal))["calls=".Length..];
                    var name = key["cmdstat_".Length..];
                    totals[name] = totals.GetValueOrDefault(name) + long.Parse(calls, CultureInfo.InvariantCulture);
                }
            }
        }
        return totals;
    }

    /// <summary>Calls of <paramref name="commands"/> between two snapshots.</summary>
    public static long Between(Dictionary<string, long> before, Dictionary<string, long> after, params string[] commands) =>
        commands.Sum(c => after.GetValueOrDefault(c) - before.GetValueOrDefault(c));
}
