using RtmsGateway.Api.V1;

namespace RtmsGateway.Sessions.Audio;

/// <summary>The format of source frames as far as decoding them goes (from each frame's <see cref="AudioFormat"/>).</summary>
internal readonly record struct SourceAudio(AudioCodec Codec, int SampleRateHz, int Channels, int FrameDurationMs)
{
    public static SourceAudio Of(AudioFormat format) => new(
        format.Codec,
        format.Codec == AudioCodec.G711 ? 8000 : (int)format.SampleRateHz,
        format.Codec == AudioCodec.G711 ? 1 : Math.Clamp((int)format.Channels, 1, 2),
        format.FrameDurationMs == 0 ? 20 : (int)format.FrameDurationMs);
}
