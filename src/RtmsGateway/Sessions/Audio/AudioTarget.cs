using RtmsGateway.Api.V1;

namespace RtmsGateway.Sessions.Audio;

/// <summary>
/// A normalized audio format to convert to: the key of one conversion of a session, so requests that mean the same
/// format share it. <see cref="SampleRateHz"/> and <see cref="Channels"/> are 0 only while the session's source format is
/// unknown (not negotiated yet): each frame's own format then fills them in. <see cref="OpusBitrateBps"/> is 0 except
/// for Opus (where 0 means 32 kbit/s per channel).
/// </summary>
internal readonly record struct AudioTarget(AudioCodec Codec, int SampleRateHz, int Channels, int OpusBitrateBps)
{
    /// <summary>Default Opus bit rate per channel.</summary>
    public const int OpusBitratePerChannel = 32_000;

    /// <summary>A metric tag naming the format, e.g. <c>opus/48000/2</c>.</summary>
    public string Tag => $"{Codec switch
    {
        AudioCodec.L16 => "l16",
        AudioCodec.G711 => "alaw",
        AudioCodec.G711Ulaw => "ulaw",
        AudioCodec.Opus => "opus",
        _ => "unknown",
    }}/{(SampleRateHz == 0 ? "source" : SampleRateHz)}/{(Channels == 0 ? "source" : Channels)}";

    /// <summary>This format for frames whose source has <paramref name="sourceRate"/> and <paramref name="sourceChannels"/>.</summary>
    public AudioTarget For(int sourceRate, int sourceChannels)
    {
        var channels = Channels == 0 ? sourceChannels : Channels;
        return this with
        {
            SampleRateHz = SampleRateHz == 0 ? sourceRate : SampleRateHz,
            Channels = channels,
            OpusBitrateBps = Codec == AudioCodec.Opus && OpusBitrateBps == 0 ? OpusBitratePerChannel * channels : OpusBitrateBps,
        };
    }
}
