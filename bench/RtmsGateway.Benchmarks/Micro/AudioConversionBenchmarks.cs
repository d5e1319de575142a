using BenchmarkDotNet.Attributes;
using RtmsGateway.Api.V1;
using RtmsGateway.Sessions.Audio;

namespace RtmsGateway.Benchmarks.Micro;

/// <summary>CPU of one 20 ms frame of one speaker through each conversion <c>SubscribeAudioRequest.format</c> offers
/// (what the owner spends per source frame and per converted format, shared by every subscriber of that format): a
/// 440 Hz tone of L16 16 kHz mono (Zoom's default), and Opus 48 kHz stereo as a source.</summary>
[MemoryDiagnoser]
public class AudioConversionBenchmarks
{
    private static readonly SourceAudio L16 = new(AudioCodec.L16, 16000, 1, 20);
    private static readonly SourceAudio Opus = new(AudioCodec.Opus, 48000, 2, 20);

    private byte[] _pcm = [];
    private byte[] _opus = [];
    private SpeakerConverter _to8k = null!;
    private SpeakerConverter _to48kStereo = null!;
    private SpeakerConverter _toUlaw = null!;
    private SpeakerConverter _toAlaw = null!;
    private SpeakerConverter _toOpus48k = null!;
    private SpeakerConverter _toOpus16k = null!;
    private SpeakerConverter _fromOpus = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pcm = new byte[640];
        for (var i = 0; i < 320; i++)
        {
            BitConverter.TryWriteBytes(_pcm.AsSpan(i * 2), (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 16000)));
        }
        _to8k = new(L16, new AudioTarget(AudioCodec.L16, 8000, 1, 0).For(16000, 1));
        _to48kStereo = new(L16, new AudioTarget(AudioCodec.L16, 48000, 2, 0).For(16000, 1));
        _toUlaw = new(L16, new AudioTarget(AudioCodec.G711Ulaw, 8000, 1, 0).For(16000, 1));
        _toAlaw = new(L16, new AudioTarget(AudioCodec.G711, 8000, 1, 0).For(16000, 1));
        _toOpus48k = new(L16, new AudioTarget(AudioCodec.Opus, 48000, 1, 0).For(16000, 1));
        _toOpus16k = new(L16, new AudioTarget(AudioCodec.Opus, 16000, 1, 0).For(16000, 1));
        var opusStereo = new SpeakerConverter(L16, new AudioTarget(AudioCodec.Opus, 48000, 2, 0).For(16000, 1));
        _opus = opusStereo.Convert(_pcm).ToArray();
        _fromOpus = new(Opus, new AudioTarget(AudioCodec.L16, 16000, 1, 0).For(48000, 2));
    }

    [Benchmark(Baseline = true)]
    public int L16_16k_to_L16_8k() => _to8k.Convert(_pcm).Length;

    [Benchmark]
    public int L16_16k_to_L16_48k_stereo() => _to48kStereo.Convert(_pcm).Length;

    [Benchmark]
    public int L16_16k_to_G711_ulaw() => _toUlaw.Convert(_pcm).Length;

    [Benchmark]
    public int L16_16k_to_G711_alaw() => _toAlaw.Convert(_pcm).Length;

    [Benchmark]
    public int L16_16k_to_Opus_48k() => _toOpus48k.Convert(_pcm).Length;

    [Benchmark]
    public int L16_16k_to_Opus_16k() => _toOpus16k.Convert(_pcm).Length;

    [Benchmark]
    public int Opus_48k_stereo_to_L16_16k() => _fromOpus.Convert(_opus).Length;
}
