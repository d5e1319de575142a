using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace RtmsGateway.Simulator.Tests;

/// <summary>
/// A deliberately plain RTMS client written from the protocol reference (raw JSON, its own HMAC), to check the
/// simulator against the wire protocol rather than against the project's own protocol library.
/// </summary>
internal sealed class RawRtmsClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<JsonObject> _inbox = Channel.CreateUnbounded<JsonObject>();
    private Task _reader = Task.CompletedTask;

    public bool AnswerKeepAlives { get; set; } = true;

    public int FramesReceived;

    public int BinaryFrames;

    public int FragmentedMessages;

    public int UnparsableMessages;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public Task Closed => _reader;

    public static string Sign(string clientId, string secret, string uuid, string streamId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{clientId},{uuid},{streamId}")));

    public static async Task<RawRtmsClient> ConnectAsync(Uri uri)
    {
        var client = new RawRtmsClient();
        await client._socket.ConnectAsync(uri, CancellationToken.None);
        client._reader = Task.Run(client.ReadLoopAsync);
        return client;
    }

    public Task SendRawAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendAsync(JsonObject message) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next message of one of <paramref name="types"/>; messages of other types before it are skipped.</summary>
    public Task<JsonObject> ExpectAsync(params int[] types) => ExpectAsync(m => types.Contains((int)m["msg_type"]!), $"msg_type {string.Join('/', types)}");

    /// <summary>The next message matching <paramref name="match"/>; others before it are skipped.</summary>
    public async Task<JsonObject> ExpectAsync(Func<JsonObject, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            JsonObject message;
            try
            {
                message = await _inbox.Reader.ReadAsync(timeout.Token);
            }
            catch (ChannelClosedException)
            {
                throw new InvalidOperationException($"socket closed ({_socket.CloseStatus}) before {what}");
            }
            if (match(message))
            {
                return message;
            }
        }
    }

    /// <summary>Collects messages for a while (pings answered meanwhile).</summary>
    public async Task<List<JsonObject>> CollectAsync(TimeSpan duration)
    {
        var result = new List<JsonObject>();
        using var timeout = new CancellationTokenSource(duration);
        try
        {
            while (true)
            {
                result.Add(await _inbox.Reader.ReadAsync(timeout.Token));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ChannelClosedException)
        {
        }
        return result;
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var length = 0;
                var frames = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                    length += result.Count;
                    frames++;
                    Interlocked.Increment(ref FramesReceived);
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    Interlocked.Increment(ref BinaryFrames);
                }
                if (frames > 1)
                {
                    Interlocked.Increment(ref FragmentedMessages);
                }
                JsonObject? message;
                try
                {
                    message = JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, length)) as JsonObject;
                }
                catch (System.Text.Json.JsonException)
                {
                    Interlocked.Increment(ref UnparsableMessages);
                    continue;
                }
                if (message is null)
                {
                    continue;
                }
                if ((int?)message["msg_type"] == 12 && AnswerKeepAlives)
                {
                    await SendAsync(new JsonObject { ["msg_type"] = 13, ["timestamp"] = message["timestamp"]!.DeepClone() });
                }
                _inbox.Writer.TryWrite(message);
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _inbox.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _reader.ContinueWith(static _ => { }, TaskScheduler.Default);
        _socket.Dispose();
    }
}
