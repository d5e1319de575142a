using System.Text.Json;
using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using RtmsGateway.Sessions;
using StackExchange.Redis;

namespace RtmsGateway.Cluster;

/// <summary>
/// Cluster <see cref="ISessionCommandBus"/>: one Redis pub/sub channel that every replica subscribes to. Broadcast rather
/// than addressed to the owner, so a command still finds the stream when ownership moved between the look-up and the send.
/// </summary>
internal sealed partial class RedisSessionCommandBus(IConnectionMultiplexer redis, RedisKeys keys, IOptions<GatewayOptions> gateway, ILogger<RedisSessionCommandBus> logger)
    : BackgroundService, ISessionCommandBus
{
    private Action<SessionCommand>? _handler;

    public Task PublishAsync(SessionCommand command, CancellationToken ct)
    {
        var message = new ForwardedSessionCommand(gateway.Value.ReplicaId, command);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, ClusterJsonContext.Default.ForwardedSessionCommand);
        return RedisCall.RunAsync(() => redis.GetSubscriber().PublishAsync(RedisChannel.Literal(keys.Commands), bytes), ct);
    }

    public void OnCommand(Action<SessionCommand> handler) => _handler = handler;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        RedisSubscription.SubscribeOnceAsync(redis, RedisChannel.Literal(keys.Commands), OnMessage, logger, stoppingToken);

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
        if (forwarded is not null && forwarded.From != gateway.Value.ReplicaId)
        {
            _handler?.Invoke(forwarded.Command);
        }
    }

    [LoggerMessage(EventId = LogEventIds.CommandBusBadCommand, Level = LogLevel.Warning, Message = "Ignored an unreadable session command: {Error}")]
    private partial void LogBadCommand(string error);
}
