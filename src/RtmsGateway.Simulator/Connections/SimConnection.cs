using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>
/// One accepted RTMS WebSocket on the simulator side. Sends go through a bounded queue drained by one writer task, so
/// the pacing loop never waits on a client (media to a client that cannot keep up is dropped and counted; control
/// messages always queue). Tracks the client's keep-alive answers.
/// </summary>
internal sealed class SimConnection : IAsyncDisposable
{
    private const int MaxMessageBytes = 1024 * 1024;
    private readonly WebSocket _socket;
    private readonly Channel<byte[]> _queue;
    private readonly bool _binaryDefault;
    private readonly CancellationTokenSource _closed = new();
    private readonly Task _writer;
    private long _pendingPing = -1;
    private int _unanswered;

    public SimConnection(WebSocket socket, bool isSignaling, int queueCapacity, bool binaryDefault)
    {
        _socket = socket;
        _binaryDefault = binaryDefault;
        IsSignaling = isSignaling;
        _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(queueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _writer = Task.Run(WriteLoopAsync);
    }

    public bool IsSignaling { get; }

    /// <summary>The meeting this socket belongs to, once its handshake was accepted.</summary>
    public SimulatedMeeting? Meeting { get; set; }

    /// <summary>The media types of a media socket (from its data handshake).</summary>
    public MediaDataType MediaType { get; set; }

    /// <summary>Effective parameters echoed in the data handshake response.</summary>
    public MediaParams? MediaParams { get; set; }

    /// <summary>Media flows only after the CLIENT_READY_ACK that follows this socket's data handshake.</summary>
    public bool Ready { get; set; }

    /// <summary>buffer_data of the signaling handshake (default true).</summary>
    public bool BufferData { get; set; } = true;

    public HashSet<int> SubscribedEvents { get; } = [];

    public bool IsOpen => !_closed.IsCancellationRequested && !_queue.Reader.Completion.IsCompleted && _socket.State == WebSocketState.Open;

    public CancellationToken Closed => _closed.Token;

    public bool Carries(MediaDataType type) => Ready && (MediaType.HasFlag(MediaDataType.All) || MediaType.HasFlag(type));

    public bool Send(RtmsMessage message, bool media = false) => SendRaw(RtmsMessageWriter.ToUtf8Bytes(message), media);

    /// <summary>Queues a message. Media is dropped when the queue is full; control messages never are.</summary>
    public bool SendRaw(byte[] utf8, bool media = false)
    {
        if (_closed.IsCancellationRequested)
        {
            return false;
        }
        if (_queue.Writer.TryWrite(utf8))
        {
            return true;
        }
        if (media)
        {
            Meeting?.Counters.Dropped();
            return false;
        }
        // Control messages wait for room rather than vanish.
        _ = _queue.Writer.WriteAsync(utf8, _closed.Token).AsTask().ContinueWith(static _ => { }, TaskScheduler.Default);
        return true;
    }

    /// <summary>Sends a ping if the previous one was answered; returns false when the client missed too many (drop it).</summary>
    public bool Ping(long timestamp, int maxMissed)
    {
        if (Interlocked.Read(ref _pendingPing) >= 0)
        {
            Meeting?.Counters.KeepAliveMissed();
            if (Interlocked.Increment(ref _unanswered) >= maxMissed)
            {
                return false;
            }
        }
        Interlocked.Exchange(ref _pendingPing, timestamp);
        Meeting?.Counters.KeepAliveSent();
        Send(new KeepAliveRequest { Timestamp = timestamp });
        return true;
    }

    public void Pong(long timestamp)
    {
        if (Interlocked.CompareExchange(ref _pendingPing, -1, timestamp) == timestamp)
        {
            Interlocked.Exchange(ref _unanswered, 0);
            Meeting?.Counters.KeepAliveAnswered();
        }
    }

    /// <summary>Receives one whole message (text or binary, any fragmentation). Null when the socket closed.</summary>
    public async Task<byte[]?> ReceiveAsync(CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(8 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length >= MaxMessageBytes)
                    {
                        throw new WebSocketException(WebSocketError.Faulted, "client message too large");
                    }
                    var bigger = ArrayPool<byte>.Shared.Rent(length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var result = await _socket.ReceiveAsync(buffer.AsMemory(length), ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }
                length += result.Count;
                if (result.EndOfMessage)
                {
                    return buffer.AsSpan(0, length).ToArray();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Closes after the queued messages are written (a refused handshake's response, a stopped stream).</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        _queue.Writer.TryComplete();
        await _writer.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(static _ => { }, TaskScheduler.Default);
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(status, reason, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        // Let the client read what was queued and answer the close; aborting now could discard unsent bytes.
        _closed.CancelAfter(TimeSpan.FromSeconds(2));
    }

    /// <summary>After <see cref="CloseAsync"/>: reads until the client answers the close (bounded), so nothing queued is lost to an abort.</summary>
    public async Task DrainUntilClosedAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await ReceiveAsync(cts.Token) is not null)
            {
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }
    }

    /// <summary>Drops the connection at once, like a network failure (no close handshake).</summary>
    public void Abort()
    {
        _queue.Writer.TryComplete();
        _socket.Abort();
        _closed.Cancel();
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(_closed.Token))
            {
                var faults = Meeting?.Faults;
                var type = (faults?.BinaryFrames ?? _binaryDefault) ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
                if (faults is { FragmentFrames: true } && message.Length >= 3)
                {
                    var third = message.Length / 3;
                    await _socket.SendAsync(message.AsMemory(0, third), type, false, _closed.Token);
                    await _socket.SendAsync(message.AsMemory(third, third), type, false, _closed.Token);
                    await _socket.SendAsync(message.AsMemory(2 * third), type, true, _closed.Token);
                }
                else
                {
                    await _socket.SendAsync(message, type, true, _closed.Token);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            _closed.Cancel();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Abort();
        await _writer.ContinueWith(static _ => { }, TaskScheduler.Default);
        // _closed is not disposed: fault injection may still abort a connection its handler just finished with.
        _socket.Dispose();
    }
}
