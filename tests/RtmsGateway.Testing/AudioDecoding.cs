using System.Runtime.InteropServices;
using Concentus;

namespace RtmsGateway.Testing;

/// <summary>Decodes what an audio subscriber received and measures it, to check a codec end to end.</summary>
public static class AudioDecoding
{
    /// <summary>Decodes consecutive Opus packets of one stream (one decoder, as a consumer keeps per speaker) into
    /// interleaved 16-bit PCM.</summary>
    public static short[] DecodeOpus(IEnumerable<ReadOnlyMemory<byte>> packets, int sampleRate, int channels)
    {
        var decoder = OpusCodecFactory.CreateDecoder(sampleRate, channels);
        var pcm = new List<short>();
        var frame = new short[sampleRate / 1000 * 120 * channels];
        foreach (var packet in packets)
        {
            var samples = decoder.Decode(packet.Span, frame, frame.Length / channels);
            pcm.AddRange(frame.AsSpan(0, samples * channels));
        }
        return [.. pcm];
    }

    /// <summary>16-bit little-endian PCM bytes as samples.</summary>
    public static short[] L16(ReadOnlySpan<byte> pcm) => MemoryMarshal.Cast<byte, short>(pcm[..(pcm.Length & ~1)]).ToArray();

    /// <summary>G.711 A-law bytes as 16-bit samples (ITU-T G.711).</summary>
    public static short[] ALaw(ReadOnlySpan<byte> alaw)
    {
        var pcm = new short[alaw.Length];
        for (var i = 0; i < alaw.Length; i++)
        {
            var a = alaw[i] ^ 0x55;
            var exponent = (a & 0x70) >> 4;
            var mantissa = a & 0x0F;
            var magnitude = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
            pcm[i] = (short)((a & 0x80) != 0 ? magnitude : -magnitude);
        }
        return pcm;
    }

    /// <summary>G.711 µ-law bytes as 16-bit samples (ITU-T G.711: bias 33, all bits inverted).</summary>
    public static short[] MuLaw(ReadOnlySpan<byte> mulaw)
    {
        var pcm = new short[mulaw.Length];
        for (var i = 0; i < mulaw.Length; i++)
        {
            var u = (byte)~mulaw[i];
            var exponent = (u >> 4) & 0x07;
            var magnitude = ((((u & 0x0F) << 1) | 0x21) << (exponent + 2)) - 0x84;
            pcm[i] = (short)((u & 0x80) != 0 ? -magnitude : magnitude);
        }
        return pcm;
    }

    /// <summary>The dominant frequency of channel <paramref name="channel"/> of interleaved PCM, from its zero crossings
    /// (a pure tone, as the simulator's voices are, crosses zero twice a period).</summary>
    public static double ToneHz(short[] interleaved, int sampleRate, int channels, int channel = 0)
    {
        var crossings = 0;
        var previous = 0;
        var frames = interleaved.Length / channels;
        for (var i = 0; i < frames; i++)
        {
            int sample = interleaved[(i * channels) + channel];
            // Hysteresis: quantisation noise around zero is not a crossing.
            var sign = sample > 64 ? 1 : sample < -64 ? -1 : 0;
            if (sign != 0)
            {
                if (previous != 0 && sign != previous)
                {
                    crossings++;
                }
                previous = sign;
            }
        }
        return crossings / 2.0 / ((double)frames / sampleRate);
    }

    /// <summary>Root-mean-square level of interleaved PCM.</summary>
    public static double Rms(short[] pcm) => pcm.Length == 0 ? 0 : Math.Sqrt(pcm.Average(s => (double)s * s));
}
