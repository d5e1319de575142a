using System.Collections.Concurrent;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>
/// Every voice the simulator speaks with, built once per process and shared by all meetings: a one-second tone per
/// frequency (integer-Hz tones repeat exactly every second, so the loop is seamless), or a WAV file resampled to the
/// negotiated format; encoded as L16 (16-bit little-endian PCM), G.711 A-law, G.722 (64 kbit/s) or Opus (Concentus, 20 ms frames).
/// </summary>
internal static class VoiceLibrary
{
    private const double Amplitude = 6000;
    private static readonly ConcurrentDictionary<(int Hz, int Rate, int Channels, MediaCodec Codec), VoiceLoop> Tones = new();
    private static readonly ConcurrentDictionary<(string Path, int Rate, int Channels, MediaCodec Codec), Lazy<VoiceLoop>> Files = new();

    /// <summary>Codecs the simulator can produce: every audio codec of §4.3.</summary>
    public static bool CanEncode(MediaCodec codec) => codec is MediaCodec.L16 or MediaCodec.G711 or MediaCodec.G722 or MediaCodec.Opus;

    /// <summary>Whether a codec's payload is a compressed frame a send stamp would corrupt.</summary>
    public static bool IsCompressed(MediaCodec codec) => codec is MediaCodec.Opus or MediaCodec.G722;

    public static VoiceLoop Tone(int hz, int sampleRate, int channels, MediaCodec codec) => Tones.GetOrAdd((hz, sampleRate, channels, codec), static key =>
    {
        var (hz, rate, channels, codec) = key;
        var pcm = new byte[rate * channels * 2];
        for (var i = 0; i < rate; i++)
        {
            // A tone with a 2 Hz tremolo: audibly a "voice", still exactly periodic over one second.
            var envelope = 0.6 + (0.4 * Math.Sin(2 * Math.PI * 2 * i / rate));
            var sample = (short)(Math.Sin(2 * Math.PI * hz * i / rate) * Amplitude * envelope);
            for (var c = 0; c < channels; c++)
            {
                var at = ((i * channels) + c) * 2;
                pcm[at] = (byte)sample;
                pcm[at + 1] = (byte)(sample >> 8);
            }
        }
        return Encode(pcm, rate, channels, codec);
    });

    public static VoiceLoop Wav(string path, int sampleRate, int channels, MediaCodec codec) =>
        Files.GetOrAdd((Path.GetFullPath(path), sampleRate, channels, codec), static key => new Lazy<VoiceLoop>(
            () => Encode(WavFile.Load(key.Path, key.Rate, key.Channels), key.Rate, key.Channels, key.Codec))).Value;

    private static VoiceLoop Encode(byte[] pcm, int rate, int channels, MediaCodec codec) => codec switch
    {
        MediaCodec.G711 => new VoiceLoop(G711.EncodeALaw(pcm), rate / 1000 * VoiceLoop.UnitMs * channels),
        MediaCodec.Opus => new VoiceLoop(OpusVoice.Encode(pcm, rate, channels)),
        // 64 kbit/s: one octet per two 16 kHz samples (G.722 is mono at 16 kHz, §4.3).
        MediaCodec.G722 => new VoiceLoop(G722.EncodeLoop(pcm), rate / 1000 * VoiceLoop.UnitMs / 2),
        _ => new VoiceLoop(pcm, rate / 1000 * VoiceLoop.UnitMs * channels * 2),
    };
}
