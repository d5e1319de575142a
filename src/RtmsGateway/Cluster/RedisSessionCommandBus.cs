using System.Text.Json;
using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;
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

    public async Task PublishAsync(SessionCommand command, CancellationToken ct)
    {
        var message = new ForwardedSessionCommand(gateway.Value.ReplicaId, command);
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(keys.Commands), JsonSerializer.SerializeToUtf8Bytes(message, SessionRecordJsonContext.Default.ForwardedSessionCommand));
    }

    public void OnCommand(Action<SessionCommand> handler) => _handler = handler;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var channel = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(keys.Commands));
        channel.OnMessage(message =>
        {
            ForwardedSessionCommand? forwarded;
            try
            {
                forwarded = JsonSerializer.Deserialize((byte[])message.Message!, SessionRecordJsonContext.Default.ForwardedSessionCommand);
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
        });
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await channel.UnsubscribeAsync();
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Ignored an unreadable session command: {Error}")]
    private partial void LogBadCommand(string error);
}

/// <summary>A <see cref="SessionCommand"/> on the wire, with the replica that sent it.</summary>
internal sealed record ForwardedSessionCommand(string From, SessionCommand Command);
