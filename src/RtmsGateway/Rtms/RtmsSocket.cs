using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using RtmsGateway.Protocol;
using RtmsGateway.Timing;

namespace RtmsGateway.Rtms;

/// <summary>
/// One RTMS WebSocket (signaling or media). Reassembles messages across frames (text or binary, §3.1), enforces the
/// message size limit, parses with <see cref="RtmsMessageReader"/>, and serialises sends (keep-alive replies and ACKs
/// share the socket; ClientWebSocket allows one send at a time). Malformed and oversized messages are reported
/// through <see cref="ReceiveResult"/> and skipped; they never end the connection.
/// </summary>
internal sealed class RtmsSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly RtmsMessageReader _reader;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TimeProvider _time;
    private readonly ReusableMediaMessages? _reuse;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);

    private RtmsSocket(ClientWebSocket socket, RtmsMessageReader reader, Uri uri, TimeProvider time, bool reuseMediaMessages)
    {
        _socket = socket;
        _reader = reader;
        _time = time;
        _reuse = reuseMediaMessages ? new ReusableMediaMessages() : null;
        Uri = uri;
    }

    public Uri Uri { get; }

    public WebSocketState State => _socket.State;

    /// <summary>Connects through <paramref name="connector"/>: the URL and every address its host resolves to must pass its
    /// policy (<see cref="RtmsUrlRefusedException"/> otherwise), and no redirect is followed.</summary>
    /// <param name="reuseMediaMessages">Media frames are read into one reused message per media type (no objects per
    /// frame): each <see cref="MediaDataMessage"/> received is then valid only until the next receive. For a loop that is
    /// done with each message before it receives the next (the media socket's).</param>
    public static async Task<RtmsSocket> ConnectAsync(Uri uri, RtmsConnector connector, RtmsMessageReader reader, TimeSpan timeout, TimeProvider time, CancellationToken ct, bool reuseMediaMessages = false)
    {
        if (connector.Policy.Refusal(uri) is { } refusal)
        {
            throw new RtmsUrlRefusedException($"{uri.Scheme}://{uri.Authority}: {refusal}");
        }
        var socket = new ClientWebSocket();
        // Zoom pings at the RTMS level; WebSocket-level pings would only add traffic.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using var connectTimeout = new TimeoutScope(timeout, time, ct);
        try
        {
            await socket.ConnectAsync(uri, connector.Invoker, connectTimeout.Token);
        }
        catch (Exception ex) when (Refused(ex) is { } refused)
        {
            socket.Dispose();
            throw refused;
        }
        catch (OperationCanceledException) when (connectTimeout.TimedOut)
        {
            socket.Dispose();
            throw new TimeoutException($"could not connect to {uri.Host} within {timeout.TotalSeconds:0.#} s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new RtmsSocket(socket, reader, uri, time, reuseMediaMessages);
    }

    private static RtmsUrlRefusedException? Refused(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is RtmsUrlRefusedException refused)
            {
                return refused;
            }
        }
        return null;
    }

    /// <summary>Answers a KEEP_ALIVE_REQ on this socket (§3.9: on whichever socket asked), echoing its timestamp.</summary>
    public Task AnswerAsync(KeepAliveRequest ping, CancellationToken ct) => SendAsync(new KeepAliveResponse { Timestamp = ping.Timestamp }, ct);

    /// <summary>Reads until the handshake response <typeparamref name="T"/>, answering keep-alives that arrive first.</summary>
    /// <param name="onBadFrame">Told about each malformed message skipped meanwhile.</param>
    public async Task<T> ReceiveHandshakeResponseAsync<T>(TimeSpan timeout, Action<RtmsProtocolException> onBadFrame, CancellationToken ct) where T : RtmsMessage
    {
        using var scope = new TimeoutScope(timeout, _time, ct);
        try
        {
            while (true)
            {
                var received = await ReceiveAsync(scope.Token);
                if (received.IsClosed)
                {
                    throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, $"closed before the handshake response ({received.CloseStatus} {received.CloseDescription})".TrimEnd());
                }
                switch (received.Value)
                {
                    case T response:
                        return response;
                    case KeepAliveRequest ping:
                        await AnswerAsync(ping, scope.Token);
                        break;
                    default:
                        if (received.Error is { MessageType: MessageType.SignalingHandshakeResponse or MessageType.DataHandshakeResponse } broken)
                        {
                            // The answer came, but broken (typically without status_code): waiting on would only time out
                            // and be retried as a lost connection; it is a refusal (§8 of the protocol reference).
                            throw RtmsHandshakeException.Malformed(broken, signaling: broken.MessageType == MessageType.SignalingHandshakeResponse);
                        }
                        if (received.Error is { } error)
                        {
                            onBadFrame(error);
                        }
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (scope.TimedOut && !ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no {typeof(T).Name} within {timeout.TotalSeconds:0.#} s");
        }
    }

    public async Task SendAsync(RtmsMessage message, CancellationToken ct)
    {
        var bytes = RtmsMessageWriter.ToUtf8Bytes(message);
        await _sendLock.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Receives the next complete message. <see cref="ReceiveResult.Closed"/> when the peer closed. Await the result
    /// once, at once (its state machine is pooled: one per frame was the receive loop's largest allocation after the
    /// payloads).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReceiveResult> ReceiveAsync(CancellationToken ct)
    {
        var length = 0;
        var oversized = false;
        while (true)
        {
            if (length == _buffer.Length && !oversized)
            {
                if (_buffer.Length >= _reader.MaxMessageBytes)
                {
                    // Keep draining this message, then report it; the connection stays usable.
                    oversized = true;
                }
                else
                {
                    Grow();
                }
            }
            var target = oversized ? _buffer.AsMemory() : _buffer.AsMemory(length);
            var result = await _socket.ReceiveAsync(target, ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return ReceiveResult.Closed(_socket.CloseStatus, _socket.CloseStatusDescription);
            }
            if (oversized)
            {
                length = _buffer.Length;
            }
            else
            {
                length += result.Count;
            }
            if (!result.EndOfMessage)
            {
                continue;
            }
            if (oversized)
            {
                return ReceiveResult.Rejected(new RtmsProtocolException(RtmsProtocolError.FrameTooLarge, $"Message exceeds {_reader.MaxMessageBytes} bytes; discarded."));
            }
            try
            {
                return ReceiveResult.Message(_reader.Read(_buffer.AsSpan(0, length), _reuse));
            }
            catch (RtmsProtocolException ex)
            {
                return ReceiveResult.Rejected(ex);
            }
        }
    }

    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Sends a close frame (bounded: a peer that does not take it within 2 s gets the socket aborted).</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string description, CancellationToken ct)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }
        using var timeout = new TimeoutScope(CloseTimeout, _time, ct);
        var locked = false;
        try
        {
            // A close frame is a send: it must not overlap a keep-alive answer.
            await _sendLock.WaitAsync(timeout.Token);
            locked = true;
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(status, description, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _socket.Abort();
        }
        finally
        {
            if (locked)
            {
                _sendLock.Release();
            }
        }
    }

    public void Abort() => _socket.Abort();

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        _sendLock.Dispose();
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return ValueTask.CompletedTask;
    }

    private void Grow()
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, _reader.MaxMessageBytes));
        _buffer.AsSpan().CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
