using System.Buffers;
using System.Net.WebSockets;
using RtmsGateway.Protocol;
using RtmsGateway.Simulator;

namespace RtmsGateway.Benchmarks.Harness;

/// <summary>
/// The baseline: a minimal consumer reading audio straight from the simulator's RTMS sockets (signaling handshake, data
/// handshake, ACK, keep-alives), measuring the same send-stamp latency a gateway subscriber measures.
/// </summary>
internal sealed class DirectRtmsConsumer(SimulatedMeeting meeting, string clientId, string clientSecret, LatencySamples latency, StreamTally tally) : IAsyncDisposable
{
    private readonly ClientWebSocket _signaling = new();
    private readonly ClientWebSocket _media = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loops = Task.CompletedTask;

    public async Task StartAsync(Uri signalingUri)
    {
        var signature = RtmsHandshakeSignature.Compute(clientId, clientSecret, meeting.InstanceId, meeting.StreamId);
        await _signaling.ConnectAsync(signalingUri, _stop.Token);
        await SendAsync(_signaling, new SignalingHandshakeRequest { Sequence = 1, MeetingUuid = meeting.InstanceId, RtmsStreamId = meeting.StreamId, Signature = signature });
        var response = (SignalingHandshakeResponse)await ReceiveUntilAsync(_signaling, MessageType.SignalingHandshakeResponse);
        await _media.ConnectAsync(new Uri(response.MediaServer!.UrlFor(MediaServerKeys.Audio)!), _stop.Token);
        await SendAsync(_media, new DataHandshakeRequest { Sequence = 2, MeetingUuid = meeting.InstanceId, RtmsStreamId = meeting.StreamId, Signature = signature, MediaType = MediaDataType.Audio });
        await ReceiveUntilAsync(_media, MessageType.DataHandshakeResponse);
        await SendAsync(_signaling, new ClientReadyAck { RtmsStreamId = meeting.StreamId });
        _loops = Task.WhenAll(ReadAsync(_signaling), ReadAsync(_media));
    }

    private async Task ReadAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
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
                else if (message is MediaDataMessage { MsgType: MessageType.MediaDataAudio } audio)
                {
                    using (audio)
                    {
                        if (SendStamp.TryRead(audio.Payload.Span, out var sentAt))
                        {
                            latency.Add((DateTimeOffset.UtcNow - sentAt).TotalMilliseconds);
                        }
                        tally.Message();
                        if (lastTimestamp != 0 && audio.Timestamp > lastTimestamp + 20)
                        {
                            tally.Hole((ulong)((audio.Timestamp - lastTimestamp) / 20) - 1);
                        }
                        lastTimestamp = audio.Timestamp;
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
        _signaling.Abort();
        _media.Abort();
        _signaling.Dispose();
        _media.Dispose();
        _stop.Dispose();
    }
}
