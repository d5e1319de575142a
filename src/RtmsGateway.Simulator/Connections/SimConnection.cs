using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>
/// One accepted RTMS WebSocket on the simulator side. Everything sent goes through a bounded queue drained by one
/// writer task, so producers (the pacing loop, socket handlers) never wait on a client: media for a client that cannot
/// keep up is dropped and counted; control messages have a reserve above the media limit, and a client that exhausts
/// even that is disconnected. Per-socket RTMS state (media type, readiness, subscriptions, keep-alives) lives here and is
/// guarded by the owning meeting's lock.
/// </summary>
internal sealed class SimConnection : IAsyncDisposable
{
    private const int MaxClientMessageBytes = 1024 * 1024;
    private const int ControlReserve = 64;
    private const int Fragments = 3;
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);
    private readonly WebSocket _socket;
    private readonly Channel<OutboundFrame> _queue;
    private readonly int _mediaLimit;
    private readonly bool _binaryByDefault;
    private readonly CancellationTokenSource _closed = new();
    private readonly List<long> _outstandingPings = new(4);
    private readonly Task _writer;
    private volatile bool _sealed;
    private volatile SimulatedMeeting? _faultsOf;

    public SimConnection(WebSocket socket, ConnectionRole role, int queueCapacity, bool binaryByDefault)
    {
        _socket = socket;
        Role = role;
        _binaryByDefault = binaryByDefault;
        _mediaLimit = queueCapacity;
        _queue = Channel.CreateBounded<OutboundFrame>(new BoundedChannelOptions(queueCapacity + ControlReserve)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(WriteLoopAsync);
    }

    public ConnectionRole Role { get; }

    /// <summary>The client's end of the socket (<c>ip:port</c>), for attributing what a client did.</summary>
    public string RemoteEndpoint { get; init; } = "unknown";

    public bool IsSignaling => Role == ConnectionRole.Signaling;

    /// <summary>The meeting this socket belongs to, once its handshake was accepted.</summary>
    public SimulatedMeeting? Meeting { get; private set; }

    /// <summary>Media types of a media socket (from its data handshake).</summary>
    public MediaDataType MediaType { get; private set; }

    /// <summary>Media types this socket delivers once ready: its handshake's types, or for ALL (32) every type the app's
    /// scopes allow.</summary>
    public MediaDataType Delivers { get; private set; }

    /// <summary>Effective parameters echoed in the data handshake response.</summary>
    public MediaParams? MediaParams { get; private set; }

    /// <summary>Media flows only after the CLIENT_READY_ACK that follows this socket's data handshake.</summary>
    public bool Ready { get; set; }

    /// <summary>The signaling handshake's <c>buffer_data</c> (default true).</summary>
    public bool BufferData { get; set; } = true;

    /// <summary>Event types this signaling connection subscribed to (msg_type 5).</summary>
    public HashSet<int> SubscribedEvents { get; } = [];

    /// <summary>Whether this signaling connection has seen media flow (its first-streaming events were sent).</summary>
    public bool HasStreamed { get; set; }

    /// <summary>Pacing-clock time of the next KEEP_ALIVE_REQ.</summary>
    public long NextPingDueMs { get; set; }

    /// <summary>KEEP_ALIVE_REQs sent and not answered yet (consecutive).</summary>
    public int OutstandingPings => _outstandingPings.Count;

    public bool IsOpen => !_closed.IsCancellationRequested && _socket.State == WebSocketState.Open;

    /// <summary>Cancelled when the connection is aborted, or a grace period after a close was sent.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Whether this media socket delivers <paramref name="type"/> now.</summary>
    public bool Carries(MediaDataType type) => Ready && Delivers.HasFlag(type);

    /// <summary>The meeting whose frame faults (binary, fragmented) apply from now on, before any handshake answer is
    /// queued: the handshake response already goes out in the faulty form, even when the handshake is refused.</summary>
    public void UseFaultsOf(SimulatedMeeting meeting) => _faultsOf = meeting;

    public void AttachSignaling(SimulatedMeeting meeting, bool bufferData)
    {
        Meeting = meeting;
        BufferData = bufferData;
    }

    public void AttachMedia(SimulatedMeeting meeting, MediaDataType type, MediaDataType delivers, MediaParams effective)
    {
        Meeting = meeting;
        MediaType = type;
        Delivers = delivers;
        MediaParams = effective;
    }

    public void RecordPing(long timestamp) => _outstandingPings.Add(timestamp);

    /// <summary>A KEEP_ALIVE_RESP: true when it echoes a timestamp we sent and have not seen answered.</summary>
    public bool TryAnswerPing(long timestamp)
    {
        if (!_outstandingPings.Contains(timestamp))
        {
            return false;
        }
        _outstandingPings.Clear();
        return true;
    }

    /// <summary>Queues a control message. A client too far behind to take it is disconnected (returns false).</summary>
    public bool Send(RtmsMessage message) => SendControl(RtmsMessageWriter.ToUtf8Bytes(message));

    /// <summary>Queues raw bytes as a control message (fault injection: malformed frames).</summary>
    public bool SendControl(byte[] utf8)
    {
        if (_sealed)
        {
            return false;
        }
        if (_queue.Writer.TryWrite(OutboundFrame.Control(utf8)))
        {
            return true;
        }
        Meeting?.Counters.QueueOverflow();
        // Callers hold their meeting's lock: cut the client off from the thread pool, so no socket callback runs in here.
        ThreadPool.UnsafeQueueUserWorkItem(static connection => connection.Abort(), this, preferLocal: false);
        return false;
    }

    /// <summary>Queues a media frame, or drops it when the client is behind (counted) or gone. Takes ownership of the frame.</summary>
    public bool SendMedia(OutboundFrame frame)
    {
        if (!_sealed && _queue.Reader.Count < _mediaLimit && _queue.Writer.TryWrite(frame))
        {
            return true;
        }
        frame.Release();
        if (!_sealed)
        {
            Meeting?.Counters.Dropped();
        }
        return false;
    }

    /// <summary>Room left for media before drops start (for paced replay of buffered audio).</summary>
    public int MediaRoom => _mediaLimit - _queue.Reader.Count;

    /// <summary>Receives one whole client message (text or binary, any fragmentation). Null when the client closed.</summary>
    public async Task<byte[]?> ReceiveAsync(CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length >= MaxClientMessageBytes)
                    {
                        throw new WebSocketException(WebSocketError.Faulted, "Client message too large.");
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

    /// <summary>
    /// Sends what is queued, then a close frame (1000 unless told otherwise), like Zoom after a refused handshake or a
    /// stopped stream. The socket's reader sees the client's answer; a client that never answers is cut off after a
    /// grace period.
    /// </summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        _sealed = true;
        _queue.Writer.TryComplete();
        try
        {
            await _writer.WaitAsync(CloseGrace);
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(CloseGrace);
                await _socket.CloseOutputAsync(status, reason, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or TimeoutException or IOException)
        {
        }
        try
        {
            _closed.CancelAfter(CloseGrace);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Reads and discards until the client answers a close (used before the read loop started).</summary>
    public async Task DrainUntilClosedAsync()
    {
        using var timeout = new CancellationTokenSource(CloseGrace);
        try
        {
            while (await ReceiveAsync(timeout.Token) is not null)
            {
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Drops the connection at once, like a network failure (no close handshake).</summary>
    public void Abort()
    {
        _sealed = true;
        _queue.Writer.TryComplete();
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        _socket.Abort();
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_closed.Token))
            {
                while (_queue.Reader.TryRead(out var frame))
                {
                    try
                    {
                        await WriteAsync(frame);
                    }
                    finally
                    {
                        frame.Release();
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            Abort();
        }
        finally
        {
            while (_queue.Reader.TryRead(out var left))
            {
                left.Release();
            }
        }
    }

    private async Task WriteAsync(OutboundFrame frame)
    {
        var faults = (Meeting ?? _faultsOf)?.Faults;
        var type = (faults?.BinaryFrames ?? _binaryByDefault) ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
        var data = frame.Memory;
        if (faults is { FragmentFrames: true } && data.Length >= Fragments)
        {
            var size = data.Length / Fragments;
            for (var i = 0; i < Fragments - 1; i++)
            {
                await _socket.SendAsync(data.Slice(i * size, size), type, endOfMessage: false, _closed.Token);
            }
            await _socket.SendAsync(data[((Fragments - 1) * size)..], type, endOfMessage: true, _closed.Token);
            Meeting?.Counters.Fragmented();
            return;
        }
        await _socket.SendAsync(data, type, endOfMessage: true, _closed.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Abort();
        await _writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
    }
}
