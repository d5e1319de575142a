using System.Text.Json;
using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using RtmsGateway.Sessions;
using StackExchange.Redis;

namespace RtmsGateway.Cluster;

/// <summary>
/// Cluster <see cref="ISessionCommandBus"/>: every replica listens on its own sharded channel
/// (<see cref="RedisKeys.Commands"/>, SSUBSCRIBE), and a command goes to the owner named by the stream's lease only, so no
/// replica handles the traffic of streams it does not run. SPUBLISH answers how many listeners on the channel's master got
/// the message: none means the owner died or drained between the look-up and the send (or, on Redis Cluster after a
/// failover, that it listens through a replica node, which is not counted), so the owner is looked up again (a few times,
/// briefly) and the command follows the stream to a new owner; it is never sent twice to the same one.
/// </summary>
internal sealed partial class RedisSessionCommandBus(
    IConnectionMultiplexer redis, RedisKeys keys, IOwnershipStore ownership, IOptions<GatewayOptions> gateway, TimeProvider time, ILogger<RedisSessionCommandBus> logger)
    : BackgroundService, ISessionCommandBus
{
    private const int Attempts = 4;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    private Action<SessionCommand>? _handler;

    private string Self => gateway.Value.ReplicaId;

    public async Task PublishAsync(SessionCommand command, string ownerReplicaId, CancellationToken ct)
    {
        var message = new ForwardedSessionCommand(Self, command);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, ClusterJsonContext.Default.ForwardedSessionCommand);
        var owner = ownerReplicaId;
        for (var attempt = 1; ; attempt++)
        {
            var received = await RedisCall.RunAsync(() => redis.GetSubscriber().PublishAsync(RedisChannel.Sharded(keys.Commands(owner)), bytes), ct);
            if (received > 0)
            {
                return;
            }
            // No listener counted: the owner may be gone (then follow the stream), or — on Redis Cluster after a failover —
            // listening through a replica node, which SPUBLISH does not count (then it has the message: send nothing more).
            string? next = null;
            for (; attempt < Attempts && next is null; attempt++)
            {
                await Task.Delay(RetryDelay, time, ct);
                var current = await ownership.GetAsync(command.StreamId, ct);
                next = current?.OwnerReplicaId is { } id && id != owner && id != Self ? id : null;
            }
            if (next is null)
            {
                LogUncounted(command.Kind.ToString(), command.StreamId, owner);
                return;
            }
            owner = next;
        }
    }

    public void OnCommand(Action<SessionCommand> handler) => _handler = handler;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        RedisSubscription.SubscribeOnceAsync(redis, RedisChannel.Sharded(keys.Commands(Self)), OnMessage, logger, stoppingToken);

    private void OnMessage(RedisChannel _, RedisValue message)
    {
        ForwardedSessionCommand? forwarded;
        try
        {
            forwarded = JsonSerializer.Deserialize((byte[])message!, ClusterJsonContext.Default.ForwardedSessionCommand);
        }
        catch (JsonException ex)
        {
            LogBadCommand(ex.Message);
            return;
        }
        if (forwarded is not null && forwarded.From != Self)
        {
            _handler?.Invoke(forwarded.Command);
        }
    }

    [LoggerMessage(EventId = LogEventIds.CommandBusBadCommand, Level = LogLevel.Warning, Message = "Ignored an unreadable session command: {Error}")]
    private partial void LogBadCommand(string error);

    [LoggerMessage(EventId = LogEventIds.CommandBusUndelivered, Level = LogLevel.Warning, Message = "No listener was counted for the {Kind} command for stream {StreamId} (owner {Owner}, unchanged): the owner is gone (whoever takes the stream over reads its record) or listens through a Redis replica")]
    private partial void LogUncounted(string kind, string streamId, string owner);
}
