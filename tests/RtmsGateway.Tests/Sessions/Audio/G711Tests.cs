using RtmsGateway.Sessions.Audio;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Sessions.Audio;

/// <summary>G.711 companding: the recommendation's code points, and every 16-bit sample back within half a step.</summary>
public sealed class G711Tests
{
    [Theory]
    [InlineData(0, 0xD5)]
    [InlineData(-1, 0x55)]
    [InlineData(8, 0xD5)]
    [InlineData(16, 0xD4)]
    [InlineData(32767, 0xAA)]
    [InlineData(-32768, 0x2A)]
    public void A_law_codes_are_the_recommendations(short pcm, byte code) => Assert.Equal(code, G711.ALawEncode(pcm));

    [Theory]
    [InlineData(0, 0xFF)]
    [InlineData(-1, 0x7F)]
    [InlineData(32767, 0x80)]
    [InlineData(-32768, 0x00)]
    [InlineData(100, 0xF2)]
    public void Mu_law_codes_are_the_recommendations(short pcm, byte code) => Assert.Equal(code, G711.MuLawEncode(pcm));

    [Theory]
    [InlineData(0xD5, 8)]
    [InlineData(0x55, -8)]
    [InlineData(0xAA, 32256)]
    [InlineData(0x2A, -32256)]
    public void A_law_decodes_to_the_middle_of_its_step(byte code, short pcm) => Assert.Equal(pcm, G711.ALawDecode(code));

    [Theory]
    [InlineData(0xFF, 0)]
    [InlineData(0x00, -32124)]
    [InlineData(0x80, 32124)]
    [InlineData(0xF2, 104)]
    public void Mu_law_decodes_to_the_middle_of_its_step(byte code, short pcm) => Assert.Equal(pcm, G711.MuLawDecode(code));

    [Fact]
    public void Every_sample_round_trips_within_half_a_step_of_its_segment()
    {
        for (var x = short.MinValue; x < short.MaxValue; x++)
        {
            var magnitude = Math.Abs((int)x);
            // A-law: a step of 16 (16-bit units) in the first two segments, doubling in each after; µ-law: 8 << segment.
            var aStep = magnitude < 512 ? 16 : 8 << ((int)Math.Floor(Math.Log2(magnitude)) - 7);
            var a = G711.ALawDecode(G711.ALawEncode(x));
            Assert.True(Math.Abs(a - x) <= aStep / 2 + 1, $"A-law {x} → {a}");
            var muStep = 8 << Math.Clamp((int)Math.Floor(Math.Log2(Math.Min(magnitude, 32635) + 132)) - 7, 0, 7);
            var u = G711.MuLawDecode(G711.MuLawEncode(x));
            Assert.True(Math.Abs(u - x) <= muStep / 2 + 1 || magnitude > 32635 && Math.Abs(u) == 32124, $"µ-law {x} → {u}");
        }
    }

    [Fact]
    public void The_gateways_a_law_decodes_like_the_tests_independent_decoder()
    {
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        Assert.Equal(AudioDecoding.ALaw(all), all.Select(G711.ALawDecode).ToArray());
    }
}
