using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace RtmsGateway.Simulator.Tests;

/// <summary>
/// A deliberately plain RTMS client written from the protocol reference (raw JSON over <see cref="ClientWebSocket"/>, its
/// own HMAC), to check the simulator against the wire protocol rather than against the project's own protocol library
/// or the simulator's internals. Reassembles fragmented messages, accepts text and binary frames, answers keep-alives
/// on the socket that asked (switchable), and records what it saw.
/// </summary>
internal sealed class RawRtmsClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Channel<JsonObject> _inbox = Channel.CreateUnbounded<JsonObject>();
    private Task _reader = Task.CompletedTask;
    private int _frames;
    private int _binaryMessages;
    private int _fragmentedMessages;
    private int _unparsable;
    private int _pings;

    private RawRtmsClient(string name) => Name = name;

    public string Name { get; }

    public bool AnswerKeepAlives { get; set; } = true;

    public int FramesReceived => Volatile.Read(ref _frames);

    public int BinaryMessages => Volatile.Read(ref _binaryMessages);

    public int FragmentedMessages => Volatile.Read(ref _fragmentedMessages);

    public int UnparsableMessages => Volatile.Read(ref _unparsable);

    public int PingsReceived => Volatile.Read(ref _pings);

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>Completes when the server closed or dropped the socket.</summary>
    public Task Closed => _reader;

    public static string Sign(string clientId, string secret, string instanceId, string streamId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{clientId},{instanceId},{streamId}")));

    public static async Task<RawRtmsClient> ConnectAsync(Uri uri, string? name = null)
    {
        var client = new RawRtmsClient(name ?? uri.AbsolutePath);
        using var timeout = new CancellationTokenSource(Timeout);
        await client._socket.ConnectAsync(uri, timeout.Token);
        client._reader = Task.Run(client.ReadLoopAsync);
        return client;
    }

    public Task SendRawAsync(string text) => SendBytesAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, 1);

    /// <summary>Sends a message as text (or binary), in one frame or split into <paramref name="fragments"/> frames.</summary>
    public Task SendAsync(JsonObject message, bool binary = false, int fragments = 1) =>
        SendBytesAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, fragments);

    /// <summary>The next message of one of <paramref name="types"/>; messages of other types before it are skipped.</summary>
    public Task<JsonObject> ExpectAsync(params int[] types) => ExpectAsync(m => types.Contains(MsgType(m)), $"msg_type {string.Join('/', types)}");

    /// <summary>The next message matching <paramref name="match"/>; others before it are skipped.</summary>
    public async Task<JsonObject> ExpectAsync(Func<JsonObject, bool> match, string what, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        try
        {
            while (true)
            {
                var message = await _inbox.Reader.ReadAsync(cts.Token);
                if (match(message))
                {
                    return message;
                }
            }
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"{Name}: socket closed ({_socket.CloseStatus}) before {what}");
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name}: no {what} within {timeout ?? Timeout}");
        }
    }

    /// <summary>The next event update (msg_type 6) of <paramref name="eventType"/>.</summary>
    public Task<JsonObject> ExpectEventAsync(int eventType) =>
        ExpectAsync(m => MsgType(m) == 6 && (int)m["event"]!["event_type"]! == eventType, $"event {eventType}");

    /// <summary>Collects every message for <paramref name="duration"/> (keep-alives answered meanwhile).</summary>
    public async Task<List<JsonObject>> CollectAsync(TimeSpan duration)
    {
        var result = new List<JsonObject>();
        using var cts = new CancellationTokenSource(duration);
        try
        {
            while (true)
            {
                result.Add(await _inbox.Reader.ReadAsync(cts.Token));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
        }
        return result;
    }

    /// <summary>Collects messages until <paramref name="count"/> of them match <paramref name="match"/>.</summary>
    public async Task<List<JsonObject>> CollectAsync(Func<JsonObject, bool> match, int count, string what)
    {
        var result = new List<JsonObject>();
        while (result.Count < count)
        {
            result.Add(await ExpectAsync(match, $"{what} #{result.Count + 1}"));
        }
        return result;
    }

    /// <summary>
    /// Every message (matching or not) up to and including the <paramref name="count"/>-th that matches
    /// <paramref name="match"/>. The simulator writes each socket in order, so a marker message proves everything queued
    /// before it has arrived: a race-free way to check that something did not happen.
    /// </summary>
    public async Task<List<JsonObject>> ReadUntilAsync(Func<JsonObject, bool> match, int count, string what)
    {
        var result = new List<JsonObject>();
        var matched = 0;
        while (matched < count)
        {
            var message = await ExpectAsync(_ => true, $"{what} #{matched + 1}");
            result.Add(message);
            if (match(message))
            {
                matched++;
            }
        }
        return result;
    }

    /// <summary>Reads until the <paramref name="count"/>-th keep-alive request (a marker on media sockets).</summary>
    public Task<List<JsonObject>> ReadUntilPingsAsync(int count) => ReadUntilAsync(m => MsgType(m) == 12, count, "keep-alive");

    /// <summary>Signaling only: sends STREAM_STATE_REQ and returns everything received up to its response (a marker).</summary>
    public async Task<List<JsonObject>> RoundTripAsync(string streamId)
    {
        await SendAsync(new JsonObject { ["msg_type"] = 19, ["rtms_stream_id"] = streamId });
        return await ReadUntilAsync(m => MsgType(m) == 20, 1, "STREAM_STATE_RESP");
    }

    /// <summary>Drops what arrived so far.</summary>
    public void Clear()
    {
        while (_inbox.Reader.TryRead(out _))
        {
        }
    }

    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _sendLock.WaitAsync(timeout.Token);
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        }
        finally
        {
            _sendLock.Release();
        }
        await _reader.WaitAsync(Timeout);
    }

    public void Abort() => _socket.Abort();

    public static int MsgType(JsonObject message) => (int)message["msg_type"]!;

    /// <summary>The decoded <c>content.data</c> of an audio/video/share message.</summary>
    public static byte[] Data(JsonObject message) => Convert.FromBase64String((string)message["content"]!["data"]!);

    public static long Timestamp(JsonObject message) => (long)message["content"]!["timestamp"]!;

    public static long UserId(JsonObject message) => (long)message["content"]!["user_id"]!;

    private async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type, int fragments)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _sendLock.WaitAsync(timeout.Token);
        try
        {
            fragments = Math.Clamp(fragments, 1, Math.Max(1, bytes.Length));
            var size = bytes.Length / fragments;
            for (var i = 0; i < fragments; i++)
            {
                var last = i == fragments - 1;
                var start = i * size;
                await _socket.SendAsync(bytes.AsMemory(start, (last ? bytes.Length : start + size) - start), type, last, timeout.Token);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                var frames = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await AnswerCloseAsync();
                        return;
                    }
                    length += result.Count;
                    frames++;
                    Interlocked.Increment(ref _frames);
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    Interlocked.Increment(ref _binaryMessages);
                }
                if (frames > 1)
                {
                    Interlocked.Increment(ref _fragmentedMessages);
                }
                JsonObject? message;
                try
                {
                    message = JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, length)) as JsonObject;
                }
                catch (System.Text.Json.JsonException)
                {
                    Interlocked.Increment(ref _unparsable);
                    continue;
                }
                if (message is null)
                {
                    continue;
                }
                if (MsgType(message) == 12)
                {
                    Interlocked.Increment(ref _pings);
                    if (AnswerKeepAlives)
                    {
                        // Echo the timestamp verbatim, on the socket that asked (§3.4).
                        await SendAsync(new JsonObject { ["msg_type"] = 13, ["timestamp"] = message["timestamp"]!.DeepClone() });
                    }
                }
                _inbox.Writer.TryWrite(message);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _inbox.Writer.TryComplete();
        }
    }

    private async Task AnswerCloseAsync()
    {
        await _sendLock.WaitAsync();
        try
        {
            if (_socket.State == WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closing", CancellationToken.None);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _sendLock.Dispose();
    }
}
