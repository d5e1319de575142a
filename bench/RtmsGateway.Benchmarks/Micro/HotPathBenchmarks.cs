using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RtmsGateway.Api.V1;
using RtmsGateway.Configuration;
using RtmsGateway.Ownership;
using RtmsGateway.Protocol;
using RtmsGateway.Sessions;
using RtmsGateway.Sessions.Wire;

namespace RtmsGateway.Benchmarks.Micro;

/// <summary>Micro-benchmarks of the per-frame hot paths: parsing an RTMS audio frame (pooled and exact), writing one,
/// encoding the public audio response (the message tree Google.Protobuf serializes, and the direct encoder the hub uses),
/// and the stages after the parse, each alone: the hub publishing one audio frame to one subscriber (encode, sequence,
/// replay buffer, queue), and a subscriber's reader waking for one frame the way the pump waits.</summary>
[MemoryDiagnoser]
public class HotPathBenchmarks : IDisposable
{
    private readonly RtmsMessageReader _pooled = new(allocation: MediaPayloadAllocation.Pooled);
    private readonly RtmsMessageReader _exact = new(allocation: MediaPayloadAllocation.Exact);
    private readonly ReusableMediaMessages _reuse = new();
    private byte[] _audioFrame = [];
    private MediaDataMessage _message = null!;
    private readonly AudioFormat _format = new() { Codec = AudioCodec.L16, SampleRateHz = 16000, Channels = 1, FrameDurationMs = 20 };
    private byte[] _formatBytes = [];
    private ulong _sequence;
    private SessionHub _hub = null!;
    private ChannelSubscription<EncodedMessage> _subscriber = null!;
    private SessionChannel<EncodedMessage> _channel = null!;
    private ChannelSubscription<EncodedMessage> _waiting = null!;
    private readonly CancellationTokenSource _call = new();

    [GlobalSetup]
    public void Setup()
    {
        var pcm = new byte[640];
        new Random(1).NextBytes(pcm);
        _message = new MediaDataMessage(MessageType.MediaDataAudio) { UserId = RtmsUserId.FromNumber(16778240), UserName = "Ada", Payload = MediaPayload.FromBytes(pcm), Timestamp = 1_700_000_000_000 };
        _audioFrame = RtmsMessageWriter.ToUtf8Bytes(_message);
        _formatBytes = _format.ToByteArray();
        var record = new SessionRecord { StreamId = "bench-stream", InstanceId = "bench-instance", SignalingUrl = "wss://127.0.0.1/signaling", AcceptedAt = DateTimeOffset.UnixEpoch };
        // The gateway's defaults (30 s / 4096 frames of replay); the ring fills during warm-up, then each frame drops the oldest.
        _hub = new SessionHub(record, epoch: 1, "bench", new FanoutOptions(), TimeProvider.System);
        _hub.OnMediaNegotiated(MediaDataType.Audio, MediaParamsDefaults.Effective(MediaDataType.Audio, null));
        _subscriber = _hub.Audio.Subscribe(SubscribeStart.Live);
        _channel = new SessionChannel<EncodedMessage>(false, 256, 10, new ReplayLimits(0, TimeSpan.Zero), 1, TimeProvider.System);
        _waiting = _channel.Subscribe(SubscribeStart.Live);
    }

    [Benchmark(Baseline = true)]
    public int ParseAudioPooled()
    {
        using var message = (MediaDataMessage)_pooled.Read(_audioFrame);
        return message.Payload.Length;
    }

    /// <summary>What a media socket does: one reused message per media type (<see cref="ReusableMediaMessages"/>).</summary>
    [Benchmark]
    public int ParseAudioPooledReused()
    {
        using var message = (MediaDataMessage)_pooled.Read(_audioFrame, _reuse);
        return message.Payload.Length;
    }

    [Benchmark]
    public int ParseAudioExact()
    {
        using var message = (MediaDataMessage)_exact.Read(_audioFrame);
        return message.Payload.Length;
    }

    [Benchmark]
    public int WriteAudio() => RtmsMessageWriter.ToUtf8Bytes(_message).Length;

    /// <summary>What the hub did per audio frame before: a five-object message tree, sized and then written.</summary>
    [Benchmark]
    public int EncodeAudioResponseTree()
    {
        var response = new SubscribeAudioResponse
        {
            Frame = new AudioFrame
            {
                Header = new MessageHeader
                {
                    Sequence = ++_sequence,
                    ZoomTimestampMs = _message.Timestamp,
                    ReceivedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
                    UserId = "16778240",
                    UserName = _message.UserName ?? string.Empty,
                },
                Format = _format,
                Data = UnsafeByteOperations.UnsafeWrap(_message.Payload.Memory),
            },
        };
        var bytes = GC.AllocateUninitializedArray<byte>(response.CalculateSize());
        response.WriteTo(bytes);
        return bytes.Length;
    }

    /// <summary>What the hub does now: the same bytes written directly into one exact-size array.</summary>
    [Benchmark]
    public int EncodeAudioResponseDirect() =>
        AudioResponseEncoder.Encode(new(++_sequence, _message.Timestamp, DateTimeOffset.UtcNow, "16778240", _message.UserName), _formatBytes, _message.Payload.Span, 0, null).Length;

    /// <summary>After the parse, per audio frame on the owner: encode, sequence, retain, offer to one subscriber (drained
    /// here, as its pump would).</summary>
    [Benchmark]
    public int HubPublishAudioToOneSubscriber()
    {
        _hub.OnMedia(_message);
        var length = 0;
        while (_subscriber.Reader.TryRead(out var item))
        {
            length += item.Response.Bytes.Length;
        }
        return length;
    }

    private static readonly EncodedMessage Encoded = EncodedMessage.FromEncoded([1, 2, 3]);

    /// <summary>A subscriber's pump waiting for the next frame with its call's (cancellable) token, and the frame arriving.</summary>
    [Benchmark]
    public async ValueTask<ulong> SubscriberWakesForOneFrame()
    {
        var wait = _waiting.WaitToReadAsync(_call.Token);
        _channel.Publish("0", 0, static (_, _) => Encoded);
        await wait;
        _waiting.Reader.TryRead(out var item);
        return item.Sequence;
    }

    [Benchmark]
    public int PeekMessageType() => (int)RtmsMessageReader.PeekMessageType(_audioFrame);

    public void Dispose()
    {
        _message?.Dispose();
        _subscriber?.Dispose();
        _waiting?.Dispose();
        _call.Dispose();
        GC.SuppressFinalize(this);
    }
}
