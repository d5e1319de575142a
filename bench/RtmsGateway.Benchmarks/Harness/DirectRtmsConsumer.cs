using System.Buffers;
using System.Net.WebSockets;
using RtmsGateway.Protocol;
using RtmsGateway.Simulator;

namespace RtmsGateway.Benchmarks.Harness;

/// <summary>
/// The baseline: a lean consumer reading one meeting straight from the simulator's RTMS sockets (signaling handshake,
/// data handshakes, ACK, keep-alives). It opens the audio, video and transcript sockets the gateway opens, so it receives
/// and parses the same frames, and measures the same send-stamp latency on audio that a gateway subscriber measures.
/// It runs in its own process (<see cref="DirectConsumerHost"/>), so its CPU per frame is measured apart from the
/// simulator's.
/// </summary>
internal sealed class DirectRtmsConsumer(string meetingUuid, string streamId, string clientId, string clientSecret, LatencySamples latency, StreamTally tally) : IAsyncDisposable
{
    private static readonly (string Key, MediaDataType Type)[] MediaSockets =
        [(MediaServerKeys.Audio, MediaDataType.Audio), (MediaServerKeys.Video, MediaDataType.Video), (MediaServerKeys.Transcript, MediaDataType.Transcript)];

    private readonly ClientWebSocket _signaling = new();
    private readonly List<ClientWebSocket> _media = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _loops = Task.CompletedTask;

    public async Task StartAsync(Uri signalingUri)
    {
        var signature = RtmsHandshakeSignature.Compute(clientId, clientSecret, meetingUuid, streamId);
        await _signaling.ConnectAsync(signalingUri, _stop.Token);
        await SendAsync(_signaling, new SignalingHandshakeRequest { Sequence = 1, MeetingUuid = meetingUuid, RtmsStreamId = streamId, Signature = signature });
        var response = (SignalingHandshakeResponse)await ReceiveUntilAsync(_signaling, MessageType.SignalingHandshakeResponse);
        var sequence = 2;
        foreach (var (key, type) in MediaSockets)
        {
            if (response.MediaServer!.UrlFor(key) is not { } url)
            {
                continue;
            }
            var socket = new ClientWebSocket();
            _media.Add(socket);
            await socket.ConnectAsync(new Uri(url), _stop.Token);
            await SendAsync(socket, new DataHandshakeRequest { Sequence = sequence++, MeetingUuid = meetingUuid, RtmsStreamId = streamId, Signature = signature, MediaType = type });
            await ReceiveUntilAsync(socket, MessageType.DataHandshakeResponse);
        }
        await SendAsync(_signaling, new ClientReadyAck { RtmsStreamId = streamId });
        _loops = Task.WhenAll([ReadAsync(_signaling), .. _media.Select(ReadAsync)]);
    }

    private async Task ReadAsync(ClientWebSocket socket)
    {
        var buffer = new byte[256 * 1024];
        var reader = new RtmsMessageReader(allocation: MediaPayloadAllocation.Pooled);
        long lastTimestamp = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token);
                    length += result.Count;
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                var message = reader.Read(buffer.AsSpan(0, length));
                if (message is KeepAliveRequest ping)
                {
                    await SendAsync(socket, new KeepAliveResponse { Timestamp = ping.Timestamp });
                }
                else if (message is MediaDataMessage media)
                {
                    using (media)
                    {
                        if (media.MsgType != MessageType.MediaDataAudio)
                        {
                            continue;
                        }
                        if (SendStamp.TryRead(media.Payload.Span, out var sentAt))
                        {
                            latency.Add((DateTimeOffset.UtcNow - sentAt).TotalMilliseconds);
                        }
                        tally.Message();
                        if (lastTimestamp != 0 && media.Timestamp > lastTimestamp + 20)
                        {
                            tally.Hole((ulong)((media.Timestamp - lastTimestamp) / 20) - 1);
                        }
                        lastTimestamp = media.Timestamp;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }

    private async Task SendAsync(ClientWebSocket socket, RtmsMessage message) =>
        await socket.SendAsync(RtmsMessageWriter.ToUtf8Bytes(message), WebSocketMessageType.Text, true, _stop.Token);

    private async Task<RtmsMessage> ReceiveUntilAsync(ClientWebSocket socket, MessageType type)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                var message = RtmsMessageReader.Default.Read(buffer.AsSpan(0, result.Count));
                if (message.MsgType == type)
                {
                    return message;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loops.ContinueWith(static _ => { }, TaskScheduler.Default);
        foreach (var socket in _media.Prepend(_signaling))
        {
            socket.Abort();
            socket.Dispose();
        }
        _stop.Dispose();
    }
}
