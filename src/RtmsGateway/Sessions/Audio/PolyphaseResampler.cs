namespace RtmsGateway.Sessions.Audio;

/// <summary>
/// Band-limited sample-rate conversion by a rational factor (output rate / input rate = up / down, reduced): a polyphase
/// windowed-sinc (Kaiser) filter. Its cutoff sits a little below the lower of the two Nyquist frequencies, so upsampling
/// leaves no images and downsampling folds nothing back (anti-aliasing). The filter's history is kept between calls, one
/// per channel, so consecutive frames resample exactly as one long signal would: no click at frame boundaries. A frame of
/// <c>n</c> input samples per channel yields <c>n * up / down</c> output samples (exactly, for the frame sizes Zoom
/// sends, all multiples of 20 ms), delayed by half the filter length. Not thread-safe: one per speaker.
/// </summary>
internal sealed class PolyphaseResampler
{
    /// <summary>Zero crossings of the sinc on each side of the centre, at the filter's cutoff.</summary>
    private const int ZeroCrossings = 12;

    /// <summary>The cutoff as a share of the lower Nyquist frequency (the rest is the transition band).</summary>
    private const double Rolloff = 0.88;

    /// <summary>Kaiser window shape: about 85 dB of stopband attenuation.</summary>
    private const double KaiserBeta = 8.6;

    private readonly int _up;
    private readonly int _down;
    private readonly int _taps;
    private readonly int _channels;
    private readonly float[][] _phases;
    private readonly float[][] _history;
    private float[] _work = [];
    private long _consumed;
    private long _nextInput;
    private int _nextPhase;

    public PolyphaseResampler(int inputRate, int outputRate, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        var gcd = Gcd(inputRate, outputRate);
        _up = outputRate / gcd;
        _down = inputRate / gcd;
        _channels = channels;
        InputRate = inputRate;
        OutputRate = outputRate;
        // Cutoff in cycles per input sample × 2 (1 = the input's Nyquist frequency).
        var cutoff = Rolloff * Math.Min(1.0, (double)_up / _down);
        _taps = 2 * (int)Math.Ceiling(ZeroCrossings / cutoff);
        _phases = Design(_up, _taps, cutoff);
        _history = [.. Enumerable.Range(0, channels).Select(_ => new float[_taps - 1])];
    }

    public int InputRate { get; }

    public int OutputRate { get; }

    /// <summary>Output samples per channel that <paramref name="inputFrames"/> more input samples per channel produce.</summary>
    public int OutputFramesFor(int inputFrames)
    {
        // The k-th next output reads up to input _nextInput + floor((_nextPhase + k * down) / up); it is due once that
        // input arrived, i.e. while _nextPhase + k * down < (available inputs after _nextInput) * up.
        var span = ((_consumed + inputFrames - _nextInput) * _up) - _nextPhase;
        return span <= 0 ? 0 : (int)((span + _down - 1) / _down);
    }

    /// <summary>Resamples interleaved samples; returns the output samples per channel written to <paramref name="output"/>.</summary>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        var frames = input.Length / _channels;
        var count = OutputFramesFor(frames);
        if (output.Length < count * _channels)
        {
            throw new ArgumentException($"The output holds {output.Length / _channels} samples per channel; {count} are produced.", nameof(output));
        }
        var windowStart = _consumed - (_taps - 1);
        var length = _taps - 1 + frames;
        if (_work.Length < length)
        {
            _work = new float[length];
        }
        for (var c = 0; c < _channels; c++)
        {
            var history = _history[c];
            history.CopyTo(_work, 0);
            for (var i = 0; i < frames; i++)
            {
                _work[_taps - 1 + i] = input[(i * _channels) + c];
            }
            var (next, phase) = (_nextInput, _nextPhase);
            for (var n = 0; n < count; n++)
            {
                var coefficients = _phases[phase];
                // Taps m = 0.. apply to samples next, next-1, …: their window positions end at next - windowStart.
                var end = (int)(next - windowStart);
                var sum = 0f;
                for (var m = 0; m < coefficients.Length; m++)
                {
                    sum += coefficients[m] * _work[end - m];
                }
                output[(n * _channels) + c] = (short)Math.Clamp(MathF.Round(sum), short.MinValue, short.MaxValue);
                phase += _down;
                next += phase / _up;
                phase %= _up;
            }
            _work.AsSpan(length - (_taps - 1), _taps - 1).CopyTo(history);
            if (c == _channels - 1)
            {
                (_nextInput, _nextPhase) = (next, phase);
            }
        }
        _consumed += frames;
        return count;
    }

    /// <summary>One coefficient set per output phase p (output at input position i + p/up), each normalised to unity
    /// gain at 0 Hz. Tap m weighs input sample i - m; the filter is centred (taps - 1) / 2 samples back.</summary>
    private static float[][] Design(int up, int taps, double cutoff)
    {
        var phases = new float[up][];
        var centre = (taps - 1) / 2.0;
        var half = taps / 2.0;
        var i0Beta = BesselI0(KaiserBeta);
        for (var p = 0; p < up; p++)
        {
            var h = new double[taps];
            for (var m = 0; m < taps; m++)
            {
                var t = centre - m - ((double)p / up);
                var x = cutoff * t;
                var sinc = Math.Abs(x) < 1e-12 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);
                var r = t / half;
                var window = Math.Abs(r) >= 1 ? 0 : BesselI0(KaiserBeta * Math.Sqrt(1 - (r * r))) / i0Beta;
                h[m] = cutoff * sinc * window;
            }
            var sum = h.Sum();
            phases[p] = [.. h.Select(v => (float)(v / sum))];
        }
        return phases;
    }

    /// <summary>The modified Bessel function of the first kind, order 0 (its power series).</summary>
    private static double BesselI0(double x)
    {
        var sum = 1.0;
        var term = 1.0;
        var quarter = x * x / 4;
        for (var k = 1; k < 64 && term > sum * 1e-16; k++)
        {
            term *= quarter / (k * k);
            sum += term;
        }
        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }
        return a;
    }
}
