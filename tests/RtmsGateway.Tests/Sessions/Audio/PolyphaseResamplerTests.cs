using RtmsGateway.Sessions.Audio;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Sessions.Audio;

/// <summary>The resampler keeps a tone's frequency and level, removes what the lower rate cannot carry, and resamples a
/// signal cut into 20 ms frames exactly as it resamples the whole signal (no click at frame boundaries).</summary>
public sealed class PolyphaseResamplerTests
{
    private static short[] Tone(double hz, int rate, int channels, int samples, double amplitude = 8000) =>
        [.. Enumerable.Range(0, samples * channels).Select(i => (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * hz * (i / channels) / rate)))];

    private static short[] InFrames(PolyphaseResampler resampler, short[] input, int frame, int channels)
    {
        var output = new List<short>();
        for (var at = 0; at < input.Length; at += frame * channels)
        {
            var chunk = input.AsSpan(at, Math.Min(frame * channels, input.Length - at));
            var buffer = new short[resampler.OutputFramesFor(chunk.Length / channels) * channels];
            Assert.Equal(buffer.Length / channels, resampler.Process(chunk, buffer));
            output.AddRange(buffer);
        }
        return [.. output];
    }

    [Theory]
    [InlineData(16000, 8000, 1, 440)]
    [InlineData(16000, 48000, 2, 523)]
    [InlineData(48000, 8000, 1, 1000)]
    [InlineData(8000, 24000, 1, 300)]
    [InlineData(32000, 24000, 2, 2000)]
    public void A_tone_keeps_its_frequency_and_level_and_each_20_ms_frame_gives_exactly_20_ms(int from, int to, int channels, double hz)
    {
        var resampler = new PolyphaseResampler(from, to, channels);
        var output = InFrames(resampler, Tone(hz, from, channels, from), from / 50, channels);
        Assert.Equal(to * channels, output.Length);
        // Past the filter's delay (its first 10 ms).
        var settled = output[(to / 100 * channels)..];
        for (var c = 0; c < channels; c++)
        {
            Assert.InRange(AudioDecoding.ToneHz(settled, to, channels, c), hz * 0.99, hz * 1.01);
        }
        Assert.InRange(AudioDecoding.Rms(settled), 8000 / Math.Sqrt(2) * 0.97, 8000 / Math.Sqrt(2) * 1.03);
    }

    [Fact]
    public void Frames_resample_exactly_as_the_whole_signal_does()
    {
        var input = Tone(700, 16000, 2, 16000);
        var whole = new short[48000 * 2];
        new PolyphaseResampler(16000, 48000, 2).Process(input, whole);
        var framed = InFrames(new PolyphaseResampler(16000, 48000, 2), input, 320, 2);
        Assert.Equal(whole, framed);
        // And no jump anywhere after the tone's own onset (10 ms): a 700 Hz tone at 48 kHz moves at most
        // 2π·700/48000·8000 ≈ 733 per sample.
        var jumps = Enumerable.Range(481, (framed.Length / 2) - 481).Max(i => Math.Abs(framed[2 * i] - framed[2 * (i - 1)]));
        Assert.True(jumps < 750, $"largest step {jumps}");
    }

    [Fact]
    public void Downsampling_removes_what_the_lower_rate_cannot_carry()
    {
        // 6 kHz is above 8 kHz's Nyquist frequency: without the anti-aliasing filter it would fold to 2 kHz at full level.
        var output = InFrames(new PolyphaseResampler(16000, 8000, 1), Tone(6000, 16000, 1, 16000), 320, 1);
        Assert.True(AudioDecoding.Rms(output[80..]) < 8000 / Math.Sqrt(2) / 300, $"aliased residue {AudioDecoding.Rms(output[80..]):F1}");
    }
}
