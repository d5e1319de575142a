using System.Numerics;

namespace RtmsGateway.Sessions.Audio;

/// <summary>
/// ITU-T G.711 companding between 16-bit linear PCM and 8-bit A-law or µ-law, written from the recommendation's
/// segment definitions: eight segments of sixteen steps each, the step doubling from one segment to the next. A-law
/// quantizes 13 bits of magnitude (its first two segments share one step) and inverts the even bits of the code; µ-law
/// quantizes 14 bits with a bias of 33 (132 in 16-bit units) and inverts every bit. Decoding returns the middle of the
/// step a code stands for.
/// </summary>
internal static class G711
{
    private const int MuLawBias = 0x84;
    private const int MuLawClip = 32635;

    public static byte ALawEncode(short pcm)
    {
        // One's complement for negatives (-1 → 0), so both signs quantize symmetrically around the decision levels.
        var sign = pcm >= 0 ? 0x80 : 0x00;
        var magnitude = (pcm >= 0 ? pcm : -pcm - 1) >> 3;
        int code;
        if (magnitude < 32)
        {
            code = magnitude >> 1;
        }
        else
        {
            var segment = BitOperations.Log2((uint)magnitude) - 4;
            code = (segment << 4) | ((magnitude >> segment) & 0x0F);
        }
        return (byte)((sign | code) ^ 0x55);
    }

    public static short ALawDecode(byte alaw)
    {
        var a = alaw ^ 0x55;
        var segment = (a >> 4) & 0x07;
        var step = a & 0x0F;
        var magnitude = segment == 0 ? (step << 4) + 8 : ((step << 4) + 0x108) << (segment - 1);
        return (short)((a & 0x80) != 0 ? magnitude : -magnitude);
    }

    public static byte MuLawEncode(short pcm)
    {
        var sign = pcm < 0 ? 0x80 : 0x00;
        var magnitude = Math.Min(pcm < 0 ? -pcm : pcm, MuLawClip) + MuLawBias;
        var segment = BitOperations.Log2((uint)magnitude) - 7;
        var step = (magnitude >> (segment + 3)) & 0x0F;
        return (byte)~(sign | (segment << 4) | step);
    }

    public static short MuLawDecode(byte mulaw)
    {
        var u = ~mulaw & 0xFF;
        var segment = (u >> 4) & 0x07;
        var magnitude = ((((u & 0x0F) << 3) + MuLawBias) << segment) - MuLawBias;
        return (short)((u & 0x80) != 0 ? -magnitude : magnitude);
    }

    public static void ALawEncode(ReadOnlySpan<short> pcm, Span<byte> alaw)
    {
        for (var i = 0; i < pcm.Length; i++)
        {
            alaw[i] = ALawEncode(pcm[i]);
        }
    }

    public static void ALawDecode(ReadOnlySpan<byte> alaw, Span<short> pcm)
    {
        for (var i = 0; i < alaw.Length; i++)
        {
            pcm[i] = ALawDecode(alaw[i]);
        }
    }

    public static void MuLawEncode(ReadOnlySpan<short> pcm, Span<byte> mulaw)
    {
        for (var i = 0; i < pcm.Length; i++)
        {
            mulaw[i] = MuLawEncode(pcm[i]);
        }
    }
}
