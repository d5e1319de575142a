using RtmsGateway.Api.V1;
using RtmsGateway.Sessions;
using RtmsGateway.Sessions.Audio;

namespace RtmsGateway.Tests.Sessions.Audio;

/// <summary>What SubscribeAudioRequest.format accepts, how defaults resolve against the source, and what is refused.</summary>
public sealed class AudioFormatSelectionTests
{
    private static readonly AudioFormat L16Stereo = new() { Codec = AudioCodec.L16, SampleRateHz = 48000, Channels = 2, FrameDurationMs = 20 };

    [Theory]
    [InlineData(AudioCodec.L16, 44100u, 0u, 0u, "format.sample_rate_hz")]
    [InlineData(AudioCodec.L16, 16000u, 3u, 0u, "format.channels")]
    [InlineData(AudioCodec.G711, 16000u, 0u, 0u, "format.sample_rate_hz")]
    [InlineData(AudioCodec.G711Ulaw, 0u, 2u, 0u, "format.channels")]
    [InlineData(AudioCodec.Opus, 32000u, 0u, 0u, "format.sample_rate_hz")]
    [InlineData(AudioCodec.Opus, 0u, 0u, 5000u, "format.opus_bitrate_bps")]
    [InlineData(AudioCodec.L16, 0u, 0u, 32000u, "format.opus_bitrate_bps")]
    [InlineData(AudioCodec.G722, 16000u, 1u, 0u, "format.codec")]
    [InlineData(AudioCodec.Unspecified, 0u, 0u, 0u, "format.codec")]
    public void A_format_the_gateway_does_not_produce_names_its_field(AudioCodec codec, uint rate, uint channels, uint bitrate, string field)
    {
        var refused = Assert.Throws<SubscriptionRefusedException>(() =>
            AudioFormatSelection.Validate(new AudioFormatRequest { Codec = codec, SampleRateHz = rate, Channels = channels, OpusBitrateBps = bitrate }));
        Assert.Equal((SubscriptionRefusal.InvalidAudioFormat, field), (refused.Refusal, refused.Field));
    }

    [Fact]
    public void Defaults_resolve_against_the_source()
    {
        Assert.Equal(new AudioTarget(AudioCodec.L16, 48000, 1, 0), AudioFormatSelection.Resolve(new AudioFormatRequest { Codec = AudioCodec.L16, Channels = 1 }, L16Stereo));
        Assert.Equal(new AudioTarget(AudioCodec.Opus, 48000, 2, 64000), AudioFormatSelection.Resolve(new AudioFormatRequest { Codec = AudioCodec.Opus }, L16Stereo));
        Assert.Equal(new AudioTarget(AudioCodec.G711Ulaw, 8000, 1, 0), AudioFormatSelection.Resolve(new AudioFormatRequest { Codec = AudioCodec.G711Ulaw }, L16Stereo));
        Assert.Null(AudioFormatSelection.Resolve(new AudioFormatRequest { Codec = AudioCodec.L16 }, L16Stereo));
    }

    [Fact]
    public void A_g722_session_and_long_frames_for_opus_are_refused_as_a_precondition()
    {
        var g722 = new AudioFormat { Codec = AudioCodec.G722, SampleRateHz = 16000, Channels = 1, FrameDurationMs = 20 };
        Assert.Equal(SubscriptionRefusal.AudioNotConvertible,
            Assert.Throws<SubscriptionRefusedException>(() => AudioFormatSelection.Resolve(new AudioFormatRequest { Codec = AudioCodec.L16, SampleRateHz = 8000 }, g722)).Refusal);
        var long100 = L16Stereo.Clone();
        long100.FrameDurationMs = 100;
        Assert.Equal(SubscriptionRefusal.AudioNotConvertible,
            Assert.Throws<SubscriptionRefusedException>(() => AudioFormatSelection.Resolve(new AudioFormatRequest { Codec = AudioCodec.Opus }, long100)).Refusal);
        Assert.NotNull(AudioFormatSelection.Resolve(new AudioFormatRequest { Codec = AudioCodec.L16, SampleRateHz = 8000 }, long100));
    }
}
