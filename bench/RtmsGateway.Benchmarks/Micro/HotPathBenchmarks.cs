using BenchmarkDotNet.Attributes;
using RtmsGateway.Protocol;

namespace RtmsGateway.Benchmarks.Micro;

/// <summary>Micro-benchmarks of the per-frame hot paths: parsing an RTMS audio frame (pooled and exact) and writing one.</summary>
[MemoryDiagnoser]
public class HotPathBenchmarks : IDisposable
{
    private readonly RtmsMessageReader _pooled = new(allocation: MediaPayloadAllocation.Pooled);
    private readonly RtmsMessageReader _exact = new(allocation: MediaPayloadAllocation.Exact);
    private byte[] _audioFrame = [];
    private MediaDataMessage _message = null!;

    [GlobalSetup]
    public void Setup()
    {
        var pcm = new byte[640];
        new Random(1).NextBytes(pcm);
        _message = new MediaDataMessage(MessageType.MediaDataAudio) { UserId = RtmsUserId.FromNumber(16778240), UserName = "Ada", Payload = MediaPayload.FromBytes(pcm), Timestamp = 1_700_000_000_000 };
        _audioFrame = RtmsMessageWriter.ToUtf8Bytes(_message);
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

    [Benchmark]
    public int PeekMessageType() => (int)RtmsMessageReader.PeekMessageType(_audioFrame);

    public void Dispose()
    {
        _message?.Dispose();
        GC.SuppressFinalize(this);
    }
}
