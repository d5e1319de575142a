using System.Net.WebSockets;
using RtmsGateway.Protocol;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Rtms;

/// <summary>
/// One signaling WebSocket of a stream (§3.2-§3.4): the handshake (signed), the event subscription, then a read loop that
/// answers keep-alives itself and hands every other message to the caller. Opening throws
/// <see cref="RtmsHandshakeException"/> when Zoom refuses; reading ends (returns why) when the socket closes, fails or
/// stays silent past the keep-alive timeout.
/// </summary>
internal sealed partial class SignalingConnection : IAsyncDisposable
{
    private readonly RtmsSocket _socket;
    private readonly UpstreamContext _context;
    private long _sequence;

    private SignalingConnection(RtmsSocket socket, UpstreamContext context, string signature, MediaServerInfo? mediaServer)
    {
        _socket = socket;
        _context = context;
        Signature = signature;
        MediaServer = mediaServer;
    }

    /// <summary>The handshake signature, reused by the stream's data handshakes.</summary>
    public string Signature { get; }

    /// <summary>The media URLs Zoom offered in the handshake response.</summary>
    public MediaServerInfo? MediaServer { get; }

    /// <summary>Sequence numbers for the requests of this stream (signaling and data handshakes).</summary>
    public long NextSequence() => Interlocked.Increment(ref _sequence);

    public static async Task<SignalingConnection> OpenAsync(UpstreamContext context, Uri url, CancellationToken ct)
    {
        var options = context.Options;
        var target = context.Target;
        var socket = await RtmsSocket.ConnectAsync(url, context.Connector, context.Reader, options.HandshakeTimeout, context.Time, ct);
        try
        {
            var signature = context.Credentials.Sign(target.InstanceId, target.StreamId);
            var handshake = new SignalingHandshakeRequest
            {
                Sequence = 1,
                RtmsStreamId = target.StreamId,
                Signature = signature,
                BufferData = options.BufferData ? null : false,
            };
            InstanceIdKeys.Set(handshake, target.Product, target.InstanceId);
            await socket.SendAsync(handshake, ct);
            var response = await socket.ReceiveHandshakeResponseAsync<SignalingHandshakeResponse>(options.HandshakeTimeout, e => LogBadFrame(context.Logger, target.StreamId, "handshake", e.Error, e.Message), ct);
            NoteUnread(context, "signaling", response);
            if (response.StatusCode != StatusCode.Ok)
            {
                throw new RtmsHandshakeException(response.StatusCode, response.Reason, signaling: true);
            }
            await socket.SendAsync(new EventSubscription
            {
                Events = [.. (target.Product == RtmsProduct.ContactCenter ? options.ContactCenterEvents : options.MeetingEvents)
                    .Select(t => new EventSubscriptionItem { EventType = t, Subscribe = true })],
            }, ct);
            LogReady(context.Logger, target.StreamId, url.Host);
            return new SignalingConnection(socket, context, signature, response.MediaServer) { _sequence = 1 };
        }
        catch
        {
            await socket.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Reads until the connection ends and returns why. Keep-alives are answered here (and then passed on too); every
    /// message goes to <paramref name="onMessage"/> (called on this loop: it must not wait). Returns without a reason when
    /// <paramref name="ct"/> was cancelled.
    /// </summary>
    public async Task<string?> ReadAsync(Action<RtmsMessage> onMessage, CancellationToken ct)
    {
        var timeout = _context.Options.KeepAliveTimeout;
        using var watchdog = new SilenceWatchdog(timeout, _context.Time, ct);
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(watchdog.Token);
                watchdog.Seen();
                await _context.ThrottleAsync(watchdog.Token);
                if (received.IsClosed)
                {
                    return $"signaling closed by Zoom ({received.CloseStatus} {received.CloseDescription})".TrimEnd();
                }
                if (received.Error is { } error)
                {
                    _context.Metrics?.BadFrame();
                    LogBadFrame(_context.Logger, _context.StreamId, "signaling", error.Error, error.Message);
                    continue;
                }
                NoteUnread(_context, "signaling", received.Value);
                if (received.Value is KeepAliveRequest ping)
                {
                    // Answered here, before anything else; the caller then still sees it (its timestamp is Zoom's clock).
                    await _socket.AnswerAsync(ping, watchdog.Token);
                }
                onMessage(received.Value!);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            _socket.Abort();
            LogSilent(_context.Logger, _context.StreamId, timeout.TotalSeconds);
            return $"no message on signaling for {timeout.TotalSeconds:0} s";
        }
        catch (Exception ex) when (RtmsFailures.IsConnectionFailure(ex))
        {
            return $"signaling failed: {RtmsFailures.Describe(ex)}";
        }
    }

    /// <summary>A request on the signaling socket (e.g. VIDEO_SUBSCRIPTION_REQ), serialised with the keep-alive answers.</summary>
    public Task SendAsync(RtmsMessage message, CancellationToken ct) => _socket.SendAsync(message, ct);

    /// <summary>CLIENT_READY_ACK after a media socket's handshake (§3.4).</summary>
    public Task SendReadyAckAsync(CancellationToken ct) => _socket.SendAsync(new ClientReadyAck { RtmsStreamId = _context.StreamId }, ct);

    /// <summary>Closes the connection with a close frame; first STREAM_CLOSE_REQ when the gateway itself ends the stream,
    /// so Zoom frees it at once. Bounded: never waits more than a few seconds on Zoom.</summary>
    public async Task CloseAsync(bool endStream)
    {
        if (endStream)
        {
            try
            {
                using var timeout = new Timing.TimeoutScope(TimeSpan.FromSeconds(2), _context.Time, CancellationToken.None);
                await _socket.SendAsync(new StreamCloseRequest { RtmsStreamId = _context.StreamId }, timeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException || RtmsFailures.IsConnectionFailure(ex))
            {
            }
        }
        await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "closing", CancellationToken.None);
    }

    public ValueTask DisposeAsync() => _socket.DisposeAsync();

    [LoggerMessage(EventId = Observability.LogEventIds.SignalingReady, Level = LogLevel.Information, Message = "RTMS {StreamId}: signaling ready on {Host}")]
    private static partial void LogReady(ILogger logger, string streamId, string host);

    [LoggerMessage(EventId = Observability.LogEventIds.BadFrame, Level = LogLevel.Warning, Message = "RTMS {StreamId}: discarded a bad {Socket} frame ({Error}): {Detail}")]
    internal static partial void LogBadFrame(ILogger logger, string streamId, string socket, RtmsProtocolError error, string detail);

    [LoggerMessage(EventId = Observability.LogEventIds.FieldsUnread, Level = LogLevel.Warning, Message = "RTMS {StreamId}: kept a {Socket} msg_type {MsgType} without fields of an unknown shape: {Fields}")]
    private static partial void LogFieldsUnread(ILogger logger, string streamId, string socket, int msgType, string fields);

    /// <summary>Logs the optional fields a message lost to an unknown shape (the message itself is kept).</summary>
    internal static void NoteUnread(UpstreamContext context, string socket, RtmsMessage? message)
    {
        if (message?.UnreadFields is { Count: > 0 } fields)
        {
            LogFieldsUnread(context.Logger, context.StreamId, socket, (int)message.MsgType, string.Join(", ", fields));
        }
    }

    [LoggerMessage(EventId = Observability.LogEventIds.SignalingSilent, Level = LogLevel.Warning, Message = "RTMS {StreamId}: signaling silent for {Seconds} s (no keep-alive); dropping it")]
    private static partial void LogSilent(ILogger logger, string streamId, double seconds);
}
