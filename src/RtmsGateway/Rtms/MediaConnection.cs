using System.Net.WebSockets;
using RtmsGateway.Configuration;
using RtmsGateway.Protocol;

namespace RtmsGateway.Rtms;

/// <summary>
/// One media WebSocket of a stream (§3.4): the data handshake for its media types, then a read loop that hands media to
/// the sink (never waiting on consumers) and answers keep-alives on this socket. Opening throws
/// <see cref="RtmsHandshakeException"/> when Zoom refuses; reading returns why the socket ended.
/// </summary>
internal sealed partial class MediaConnection : IAsyncDisposable
{
    private readonly RtmsSocket _socket;
    private readonly UpstreamContext _context;
    private long _lastReceivedAt;

    private MediaConnection(RtmsSocket socket, UpstreamContext context, MediaParams negotiated)
    {
        _socket = socket;
        _context = context;
        Negotiated = negotiated;
        _lastReceivedAt = context.Time.GetTimestamp();
    }

    /// <summary>When a frame (media, keep-alive, anything) last arrived, or the handshake completed
    /// (<see cref="TimeProvider.GetTimestamp"/> of the stream's clock).</summary>
    public long LastReceivedAt => Volatile.Read(ref _lastReceivedAt);

    /// <summary>The media parameters in effect (Zoom's echo, or the documented defaults when it sent none).</summary>
    public MediaParams Negotiated { get; }

    public static async Task<MediaConnection> OpenAsync(UpstreamContext context, MediaLinkPlan link, SignalingConnection signaling, CancellationToken ct)
    {
        var options = context.Options;
        // Each media message is handled (the sink copies what it keeps) and disposed before the next receive: reused.
        var socket = await RtmsSocket.ConnectAsync(link.Url, context.Connector, context.Reader, options.HandshakeTimeout, context.Time, ct, reuseMediaMessages: true);
        try
        {
            var handshake = new DataHandshakeRequest
            {
                Sequence = signaling.NextSequence(),
                RtmsStreamId = context.StreamId,
                Signature = signaling.Signature,
                MediaType = link.MediaType,
                PayloadEncryption = false,
                MediaParams = RtmsMediaRequest.Build(options, link.MediaType),
            };
            InstanceIdKeys.Set(handshake, context.Target.Product, context.Target.InstanceId);
            await socket.SendAsync(handshake, ct);
            var response = await socket.ReceiveHandshakeResponseAsync<DataHandshakeResponse>(options.HandshakeTimeout, e => SignalingConnection.LogBadFrame(context.Logger, context.StreamId, "handshake", e.Error, e.Message), ct);
            if (response.StatusCode != StatusCode.Ok)
            {
                throw new RtmsHandshakeException(response.StatusCode, response.Reason, signaling: false);
            }
            if (response.IsPayloadEncrypted)
            {
                // Never forward ciphertext as media: the socket is closed before it delivers anything.
                throw new RtmsPayloadEncryptedException(link.MediaType);
            }
            return new MediaConnection(socket, context, response.MediaParams ?? MediaParamsDefaults.Effective(link.MediaType, null));
        }
        catch
        {
            await CloseAsync(socket);
            await socket.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads until the socket ends and returns why; null when <paramref name="ct"/> was cancelled.</summary>
    public async Task<string?> ReadAsync(IRtmsStreamSink sink, CancellationToken ct)
    {
        var timeout = _context.Options.KeepAliveTimeout;
        using var watchdog = new SilenceWatchdog(timeout, _context.Time, ct);
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(watchdog.Token);
                watchdog.Seen();
                Volatile.Write(ref _lastReceivedAt, _context.Time.GetTimestamp());
                await _context.ThrottleAsync(watchdog.Token);
                if (received.IsClosed)
                {
                    return $"media socket closed by Zoom ({received.CloseStatus})";
                }
                if (received.Error is { } error)
                {
                    _context.Metrics?.BadFrame();
                    SignalingConnection.LogBadFrame(_context.Logger, _context.StreamId, "media", error.Error, error.Message);
                    continue;
                }
                SignalingConnection.NoteUnread(_context, "media", received.Value);
                switch (received.Value)
                {
                    case MediaDataMessage data:
                        // The sink copies what it keeps (it encodes the response at once); the pooled payload goes back. The
                        // message object itself is this socket's, reused for the next frame of its type.
                        using (data)
                        {
                            sink.OnMedia(data);
                        }
                        break;
                    case KeepAliveRequest ping:
                        await _socket.AnswerAsync(ping, watchdog.Token);
                        break;
                    case { } other:
                        LogIgnored(_context.Logger, _context.StreamId, (int)other.MsgType);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            _socket.Abort();
            return $"no message on the media socket for {timeout.TotalSeconds:0} s";
        }
        catch (Exception ex) when (RtmsFailures.IsConnectionFailure(ex))
        {
            return $"media socket failed: {RtmsFailures.Describe(ex)}";
        }
    }

    /// <summary>Sends the close frame (bounded); reading goes on until Zoom answers it or the read is cancelled.</summary>
    public Task CloseAsync() => CloseAsync(_socket);

    /// <summary>A close frame, not a dropped TCP connection: Zoom must not count it as an abnormal close (reason 16).</summary>
    public ValueTask DisposeAsync() => DisposeAsync(_socket);

    private static async ValueTask DisposeAsync(RtmsSocket socket)
    {
        await CloseAsync(socket);
        await socket.DisposeAsync();
    }

    private static Task CloseAsync(RtmsSocket socket) => socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "closing", CancellationToken.None);

    [LoggerMessage(EventId = Observability.LogEventIds.MediaMessageIgnored, Level = LogLevel.Debug, Message = "RTMS {StreamId}: ignored msg_type {MsgType} on a media socket")]
    private static partial void LogIgnored(ILogger logger, string streamId, int msgType);
}
