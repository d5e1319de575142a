using System.Buffers;
using System.Net.WebSockets;
using RtmsGateway.Protocol;

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
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);

    private RtmsSocket(ClientWebSocket socket, RtmsMessageReader reader, Uri uri)
    {
        _socket = socket;
        _reader = reader;
        Uri = uri;
    }

    public Uri Uri { get; }

    public WebSocketState State => _socket.State;

    public static async Task<RtmsSocket> ConnectAsync(Uri uri, RtmsMessageReader reader, TimeSpan timeout, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        // Zoom pings at the RTMS level; WebSocket-level pings would only add traffic.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        connectTimeout.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(uri, connectTimeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new RtmsSocket(socket, reader, uri);
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

    /// <summary>Receives the next complete message. <see cref="ReceiveResult.Closed"/> when the peer closed.</summary>
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
                return ReceiveResult.Message(_reader.Read(_buffer.AsSpan(0, length)));
            }
            catch (RtmsProtocolException ex)
            {
                return ReceiveResult.Rejected(ex);
            }
        }
    }

    public async Task CloseAsync(WebSocketCloseStatus status, string description, CancellationToken ct)
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(status, description, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                _socket.Abort();
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
