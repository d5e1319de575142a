using RtmsGateway.Api.V1;

namespace RtmsGateway.Sessions.Audio;

/// <summary>
/// What a <see cref="AudioFormatRequest"/> asks for, checked and normalized: the formats the gateway produces (see the
/// proto), defaults resolved against the session's source format, and whether the source can be converted at all.
/// Refusals are <see cref="SubscriptionRefusedException"/>s naming the field (the gRPC layer maps them).
/// </summary>
internal static class AudioFormatSelection
{
    public static readonly int[] L16Rates = [8000, 16000, 24000, 32000, 48000];
    public static readonly int[] OpusRates = [8000, 12000, 16000, 24000, 48000];

    /// <summary>Opus frame durations one packet of the encoder can carry (ms). Longer source frames are refused.</summary>
    public static readonly int[] OpusFrameDurations = [20, 40, 60];

    public const int MinOpusBitrate = 6000;
    public const int MaxOpusBitrate = 510_000;

    /// <summary>Checks what needs no session: the codec and the ranges of rate, channels and bit rate.</summary>
    public static void Validate(AudioFormatRequest request)
    {
        var rate = (int)Math.Min(request.SampleRateHz, int.MaxValue);
        var channels = request.Channels;
        switch (request.Codec)
        {
            case AudioCodec.L16:
                Require(rate == 0 || L16Rates.Contains(rate), "format.sample_rate_hz", $"L16 is produced at {string.Join(", ", L16Rates)} Hz (0 = the source's rate), not {request.SampleRateHz}.");
                Require(channels <= 2, "format.channels", $"Audio has 1 or 2 channels (0 = the source's), not {channels}.");
                break;
            case AudioCodec.G711 or AudioCodec.G711Ulaw:
                Require(rate is 0 or 8000, "format.sample_rate_hz", $"G.711 is 8000 Hz (or 0), not {request.SampleRateHz}.");
                Require(channels <= 1, "format.channels", $"G.711 is mono (1, or 0), not {channels} channels.");
                break;
            case AudioCodec.Opus:
                Require(rate == 0 || OpusRates.Contains(rate), "format.sample_rate_hz", $"Opus is encoded at {string.Join(", ", OpusRates)} Hz (0 = 48000), not {request.SampleRateHz}.");
                Require(channels <= 2, "format.channels", $"Audio has 1 or 2 channels (0 = the source's), not {channels}.");
                Require(request.OpusBitrateBps == 0 || request.OpusBitrateBps is >= MinOpusBitrate and <= MaxOpusBitrate, "format.opus_bitrate_bps",
                    $"An Opus bit rate is {MinOpusBitrate}..{MaxOpusBitrate} bit/s (0 = 32000 per channel), not {request.OpusBitrateBps}.");
                break;
            case AudioCodec.G722:
                throw Invalid("format.codec", "The gateway does not produce G.722; ask for AUDIO_CODEC_L16, AUDIO_CODEC_G711, AUDIO_CODEC_G711_ULAW or AUDIO_CODEC_OPUS.");
            default:
                throw Invalid("format.codec", $"format.codec must be AUDIO_CODEC_L16, AUDIO_CODEC_G711, AUDIO_CODEC_G711_ULAW or AUDIO_CODEC_OPUS, not {request.Codec}.");
        }
        Require(request.Codec == AudioCodec.Opus || request.OpusBitrateBps == 0, "format.opus_bitrate_bps", "opus_bitrate_bps applies to AUDIO_CODEC_OPUS only.");
    }

    /// <summary>
    /// The normalized format to convert to, or null when the source is already exactly that (served unconverted).
    /// <paramref name="source"/> is the session's negotiated format, null while unknown.
    /// </summary>
    public static AudioTarget? Resolve(AudioFormatRequest request, AudioFormat? source)
    {
        Validate(request);
        var target = request.Codec switch
        {
            AudioCodec.G711 or AudioCodec.G711Ulaw => new AudioTarget(request.Codec, 8000, 1, 0),
            AudioCodec.Opus => new AudioTarget(request.Codec, request.SampleRateHz == 0 ? 48000 : (int)request.SampleRateHz, (int)request.Channels, (int)request.OpusBitrateBps),
            _ => new AudioTarget(request.Codec, (int)request.SampleRateHz, (int)request.Channels, 0),
        };
        if (source is null || source.Codec == AudioCodec.Unspecified)
        {
            return target;
        }
        CheckConvertible(source, target);
        var resolved = target.For((int)source.SampleRateHz, (int)source.Channels);
        var unconverted = resolved.Codec == source.Codec && resolved.SampleRateHz == source.SampleRateHz && resolved.Channels == source.Channels
            && (resolved.Codec != AudioCodec.Opus || request.OpusBitrateBps == 0);
        return unconverted ? null : resolved;
    }

    /// <summary>Whether frames of <paramref name="source"/> can become <paramref name="target"/> (else AudioNotConvertible).</summary>
    public static void CheckConvertible(AudioFormat source, AudioTarget target)
    {
        if (source.Codec is not (AudioCodec.L16 or AudioCodec.G711 or AudioCodec.Opus))
        {
            throw new SubscriptionRefusedException(SubscriptionRefusal.AudioNotConvertible,
                $"This session's audio is {source.Codec} (Rtms:AudioCodec), which the gateway does not convert; subscribe without format, or configure L16, G711 or Opus.", "format");
        }
        if (target.Codec == AudioCodec.Opus && !OpusFrameDurations.Contains((int)source.FrameDurationMs))
        {
            throw new SubscriptionRefusedException(SubscriptionRefusal.AudioNotConvertible,
                $"This session's audio frames are {source.FrameDurationMs} ms (Rtms:AudioSendRateMs); one Opus packet carries 20, 40 or 60 ms, so the gateway does not convert them to Opus.", "format.codec");
        }
    }

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw Invalid(field, message);
        }
    }

    private static SubscriptionRefusedException Invalid(string field, string message) => new(SubscriptionRefusal.InvalidAudioFormat, message, field);
}
