using System.Collections.Concurrent;

namespace RtmsGateway.Simulator;

/// <summary>
/// One second of 16-bit PCM per (tone, sample rate, channels), computed once and sliced per packet: integer-Hz tones
/// repeat exactly every second, so slicing keeps the phase continuous without per-packet synthesis.
/// </summary>
internal static class Voices
{
    private static readonly ConcurrentDictionary<(int Hz, int Rate, int Channels), byte[]> Tones = new();

    public static byte[] Tone(int hz, int sampleRate, int channels) => Tones.GetOrAdd((hz, sampleRate, channels), static key =>
    {
        var (hz, rate, channels) = key;
        var pcm = new byte[rate * channels * 2];
        for (var i = 0; i < rate; i++)
        {
            var sample = (short)(Math.Sin(2 * Math.PI * hz * i / rate) * 8000);
            for (var c = 0; c < channels; c++)
            {
                var at = ((i * channels) + c) * 2;
                pcm[at] = (byte)sample;
                pcm[at + 1] = (byte)(sample >> 8);
            }
        }
        return pcm;
    });

    /// <summary>Copies <paramref name="length"/> bytes of a looped voice starting at <paramref name="offset"/>.</summary>
    public static void Slice(byte[] loop, long offset, Span<byte> destination)
    {
        var at = (int)(offset % loop.Length);
        var written = 0;
        while (written < destination.Length)
        {
            var n = Math.Min(destination.Length - written, loop.Length - at);
            loop.AsSpan(at, n).CopyTo(destination[written..]);
            written += n;
            at = 0;
        }
    }
}
