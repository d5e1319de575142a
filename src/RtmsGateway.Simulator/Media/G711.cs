using System.Buffers.Binary;
using System.Numerics;

namespace RtmsGateway.Simulator;

/// <summary>G.711 A-law (PCMA), the <c>G711</c> codec of §4.3: one byte per 16-bit sample.</summary>
internal static class G711
{
    private const int Clip = 32635;

    /// <summary>Segment (exponent) of a magnitude's top 7 bits.</summary>
    private static readonly byte[] Segments = BuildSegments();

    public static byte[] EncodeALaw(ReadOnlySpan<byte> pcm16)
    {
        var result = new byte[pcm16.Length / 2];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = EncodeALaw(BinaryPrimitives.ReadInt16LittleEndian(pcm16[(i * 2)..]));
        }
        return result;
    }

    public static byte EncodeALaw(short sample)
    {
        int value = sample;
        var sign = value >= 0 ? 0x80 : 0x00;
        var magnitude = Math.Min(Math.Abs(value), Clip);
        var code = magnitude >= 256
            ? (Segments[(magnitude >> 8) & 0x7F] << 4) | ((magnitude >> (Segments[(magnitude >> 8) & 0x7F] + 3)) & 0x0F)
            : magnitude >> 4;
        return (byte)(code ^ sign ^ 0x55);
    }

    public static short DecodeALaw(byte alaw)
    {
        var value = alaw ^ 0x55;
        var segment = (value & 0x70) >> 4;
        var mantissa = value & 0x0F;
        var magnitude = segment == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (segment - 1);
        return (short)((value & 0x80) != 0 ? magnitude : -magnitude);
    }

    private static byte[] BuildSegments()
    {
        var table = new byte[128];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = (byte)(i == 0 ? 1 : BitOperations.Log2((uint)i) + 1);
        }
        return table;
    }
}
