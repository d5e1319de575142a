using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RtmsGateway.Api.V1;
using RtmsGateway.Protocol;
using RtmsGateway.Sessions.Wire;

namespace RtmsGateway.Benchmarks.Micro;

/// <summary>Micro-benchmarks of the per-frame hot paths: parsing an RTMS audio frame (pooled and exact), writing one, and
/// encoding the public audio response (the message tree Google.Protobuf serializes, and the direct encoder the hub uses).</summary>
[MemoryDiagnoser]
public class HotPathBenchmarks : IDisposable
{
    private readonly RtmsMessageReader _pooled = new(allocation: MediaPayloadAllocation.Pooled);
    private readonly RtmsMessageReader _exact = new(allocation: MediaPayloadAllocation.Exact);
    private byte[] _audioFrame = [];
    private MediaDataMessage _message = null!;
    private readonly AudioFormat _format = new() { Codec = AudioCodec.L16, SampleRateHz = 16000, Channels = 1, FrameDurationMs = 20 };
    private byte[] _formatBytes = [];
    private ulong _sequence;

    [GlobalSetup]
    public void Setup()
    {
        var pcm = new byte[640];
        new Random(1).NextBytes(pcm);
        _message = new MediaDataMessage(MessageType.MediaDataAudio) { UserId = RtmsUserId.FromNumber(16778240), UserName = "Ada", Payload = MediaPayload.FromBytes(pcm), Timestamp = 1_700_000_000_000 };
        _audioFrame = RtmsMessageWriter.ToUtf8Bytes(_message);
        _formatBytes = _format.ToByteArray();
    }

    [Benchmark(Baseline = true)]
    public int ParseAudioPooled()
    {
        using var message = (MediaDataMessage)_pooled.Read(_audioFrame);
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

    [Benchmark]
    public int PeekMessageType() => (int)RtmsMessageReader.PeekMessageType(_audioFrame);

    public void Dispose()
    {
        _message?.Dispose();
        GC.SuppressFinalize(this);
    }
}
