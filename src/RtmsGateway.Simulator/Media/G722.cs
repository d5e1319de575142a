using System.Buffers.Binary;

namespace RtmsGateway.Simulator;

/// <summary>
/// A G.722 encoder (ITU-T G.722, 64 kbit/s mode): 16 kHz 16-bit PCM is split by a 24-tap QMF into a low and a high
/// band, each coded by sub-band ADPCM (6 bits low, 2 bits high) with adaptive quantiser step and a 2-pole/6-zero
/// predictor; each octet holds one sample pair, high-band bits first (the RTP/Zoom packing). The simulator's G722 codec.
/// </summary>
internal sealed class G722
{
    private static readonly int[] QmfCoefficients = [3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11];
    private static readonly int[] Q6 = [0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919, 0, 0];
    private static readonly int[] LowNegative = [0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 0];
    private static readonly int[] LowPositive = [0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 0];
    private static readonly int[] LowLogStep = [-60, -30, 58, 172, 334, 538, 1198, 3042];
    private static readonly int[] LowCodeToLevel = [0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0];
    private static readonly int[] InverseLog = [2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834, 2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008];
    private static readonly int[] LowInverse4 = [0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0];
    private static readonly int[] HighInverse2 = [-7408, -1616, 7408, 1616];
    private static readonly int[] HighNegative = [0, 1, 0];
    private static readonly int[] HighPositive = [0, 3, 2];
    private static readonly int[] HighLogStep = [0, -214, 798];
    private static readonly int[] HighCodeToLevel = [2, 1, 2, 1];

    private readonly int[] _qmf = new int[24];
    private readonly Band _low = new() { Det = 32 };
    private readonly Band _high = new() { Det = 8 };

    /// <summary>Encodes 16 kHz mono 16-bit little-endian PCM (an even number of samples) into one octet per two samples, as
    /// a seamless loop: the audio is encoded twice and the second pass kept, so the encoder's adaptive state at the loop's
    /// start is the one its end leaves (a decoder crossing the seam sees no jump; encoded once, every loop clicked).</summary>
    public static byte[] EncodeLoop(ReadOnlySpan<byte> pcm16)
    {
        var encoder = new G722();
        var codes = new byte[pcm16.Length / 4];
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < codes.Length; i++)
            {
                codes[i] = encoder.EncodePair(BinaryPrimitives.ReadInt16LittleEndian(pcm16[(i * 4)..]), BinaryPrimitives.ReadInt16LittleEndian(pcm16[((i * 4) + 2)..]));
            }
        }
        return codes;
    }

    private byte EncodePair(short first, short second)
    {
        // Transmit QMF: the pair enters the delay line; even and odd taps give the two bands.
        Array.Copy(_qmf, 2, _qmf, 0, 22);
        _qmf[22] = first;
        _qmf[23] = second;
        long odd = 0, even = 0;
        for (var i = 0; i < 12; i++)
        {
            odd += (long)_qmf[2 * i] * QmfCoefficients[i];
            even += (long)_qmf[(2 * i) + 1] * QmfCoefficients[11 - i];
        }
        var xLow = (int)((even + odd) >> 14);
        var xHigh = (int)((even - odd) >> 14);

        // Low band: 6-bit quantisation of the prediction error.
        var el = Saturate(xLow - _low.S);
        var magnitude = el >= 0 ? el : -(el + 1);
        var level = 1;
        while (level < 30 && magnitude >= (Q6[level] * _low.Det) >> 12)
        {
            level++;
        }
        var iLow = el < 0 ? LowNegative[level] : LowPositive[level];
        var ril = iLow >> 2;
        var dLow = (_low.Det * LowInverse4[ril]) >> 15;
        _low.Nb = Math.Clamp(((_low.Nb * 127) >> 7) + LowLogStep[LowCodeToLevel[ril]], 0, 18432);
        _low.Det = Scale(_low.Nb, 8);
        _low.Update(dLow);

        // High band: 2-bit quantisation.
        var eh = Saturate(xHigh - _high.S);
        magnitude = eh >= 0 ? eh : -(eh + 1);
        var mih = magnitude >= (564 * _high.Det) >> 12 ? 2 : 1;
        var iHigh = eh < 0 ? HighNegative[mih] : HighPositive[mih];
        var dHigh = (_high.Det * HighInverse2[iHigh]) >> 15;
        _high.Nb = Math.Clamp(((_high.Nb * 127) >> 7) + HighLogStep[HighCodeToLevel[iHigh]], 0, 22528);
        _high.Det = Scale(_high.Nb, 10);
        _high.Update(dHigh);

        return (byte)((iHigh << 6) | iLow);
    }

    /// <summary>The quantiser step from its log (the scale factor adaptation's inverse log table).</summary>
    private static int Scale(int nb, int offset)
    {
        var mantissa = InverseLog[(nb >> 6) & 31];
        var shift = offset - (nb >> 11);
        return (shift < 0 ? mantissa << -shift : mantissa >> shift) << 2;
    }

    private static int Saturate(int value) => Math.Clamp(value, short.MinValue, short.MaxValue);

    /// <summary>One band's adaptive predictor state (2 poles, 6 zeros), updated with each quantised difference.</summary>
    private sealed class Band
    {
        private readonly int[] _a = new int[3];
        private readonly int[] _ap = new int[3];
        private readonly int[] _b = new int[7];
        private readonly int[] _bp = new int[7];
        private readonly int[] _d = new int[7];
        private readonly int[] _p = new int[3];
        private readonly int[] _r = new int[3];
        private readonly int[] _sg = new int[7];
        private int _sp;
        private int _sz;

        public int S { get; private set; }

        public int Nb { get; set; }

        public int Det { get; set; }

        public void Update(int d)
        {
            _d[0] = d;
            _r[0] = Saturate(S + d);
            _p[0] = Saturate(_sz + d);

            // Pole section: second coefficient, then first (bounded by the second).
            for (var i = 0; i < 3; i++)
            {
                _sg[i] = _p[i] >> 15;
            }
            var wd1 = Saturate(_a[1] << 2);
            var wd2 = _sg[0] == _sg[1] ? -wd1 : wd1;
            wd2 = Math.Min(wd2, short.MaxValue);
            var wd3 = (_sg[0] == _sg[2] ? 128 : -128) + (wd2 >> 7) + ((_a[2] * 32512) >> 15);
            _ap[2] = Math.Clamp(wd3, -12288, 12288);
            wd1 = _sg[0] == _sg[1] ? 192 : -192;
            wd2 = (_a[1] * 32640) >> 15;
            _ap[1] = Saturate(wd1 + wd2);
            wd3 = Saturate(15360 - _ap[2]);
            _ap[1] = Math.Clamp(_ap[1], -wd3, wd3);

            // Zero section: sign-sign adaptation with leakage.
            wd1 = d == 0 ? 0 : 128;
            _sg[0] = d >> 15;
            for (var i = 1; i < 7; i++)
            {
                _sg[i] = _d[i] >> 15;
                wd2 = _sg[i] == _sg[0] ? wd1 : -wd1;
                wd3 = (_b[i] * 32640) >> 15;
                _bp[i] = Saturate(wd2 + wd3);
            }

            // Delay lines.
            for (var i = 6; i > 0; i--)
            {
                _d[i] = _d[i - 1];
                _b[i] = _bp[i];
            }
            for (var i = 2; i > 0; i--)
            {
                _r[i] = _r[i - 1];
                _p[i] = _p[i - 1];
                _a[i] = _ap[i];
            }

            // The next prediction: poles on the reconstructed signal, zeros on the differences.
            wd1 = (_a[1] * Saturate(_r[1] + _r[1])) >> 15;
            wd2 = (_a[2] * Saturate(_r[2] + _r[2])) >> 15;
            _sp = Saturate(wd1 + wd2);
            var sz = 0;
            for (var i = 6; i > 0; i--)
            {
                sz += (_b[i] * Saturate(_d[i] + _d[i])) >> 15;
            }
            _sz = Saturate(sz);
            S = Saturate(_sp + _sz);
        }
    }
}
