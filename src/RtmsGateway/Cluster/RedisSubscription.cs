using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using StackExchange.Redis;

namespace RtmsGateway.Cluster;

/// <summary>
/// Subscribes a handler to a Redis channel exactly once. StackExchange.Redis records the handler before it sends SUBSCRIBE
/// and re-subscribes after every reconnect, so a subscription that fails while Redis is down is still in place when Redis
/// returns; subscribing again would register the handler twice and deliver every message twice.
/// </summary>
internal static partial class RedisSubscription
{
    public static async Task SubscribeOnceAsync(IConnectionMultiplexer redis, RedisChannel channel, Action<RedisChannel, RedisValue> handler, ILogger logger, CancellationToken ct)
    {
        try
        {
            await RedisCall.RunAsync(() => redis.GetSubscriber().SubscribeAsync(channel, handler), ct);
        }
        catch (OwnershipStoreUnavailableException ex)
        {
            LogDeferred(logger, channel.ToString(), ex.Message);
        }
    }

    [LoggerMessage(EventId = LogEventIds.SubscriptionDeferred, Level = LogLevel.Warning, Message = "Redis channel {Channel} not subscribed yet ({Error}); it is subscribed when Redis is reachable")]
    private static partial void LogDeferred(ILogger logger, string channel, string error);
}
