using RtmsGateway.Api.V1;
using RtmsGateway.Protocol;

namespace RtmsGateway.Sessions;

/// <summary>Translates RTMS media parameters into the formats of the public API.</summary>
internal static class ApiFormats
{
    public static AudioFormat Audio(AudioParams p) => new()
    {
        Codec = p.Codec switch
        {
            MediaCodec.L16 => AudioCodec.L16,
            MediaCodec.G711 => AudioCodec.G711,
            MediaCodec.G722 => AudioCodec.G722,
            MediaCodec.Opus => AudioCodec.Opus,
            _ => AudioCodec.Unspecified,
        },
        SampleRateHz = (uint)MediaFormats.SampleRateHz(p.SampleRate ?? AudioSampleRate.Rate16K),
        Channels = p.Channel == AudioChannel.Stereo ? 2u : 1u,
        FrameDurationMs = (uint)(p.SendRate ?? 20),
        PerSpeaker = p.DataOpt == MediaDataOption.AudioMultiStreams,
    };

    public static VideoFormat Video(MediaCodec? codec, MediaResolution? resolution, int? fps)
    {
        var (width, height) = MediaFormats.Dimensions(resolution ?? MediaResolution.Undefined);
        return new VideoFormat
        {
            Codec = codec switch
            {
                MediaCodec.Jpg => VideoCodec.Jpg,
                MediaCodec.Png => VideoCodec.Png,
                MediaCodec.H264 => VideoCodec.H264,
                _ => VideoCodec.Unspecified,
            },
            Width = (uint)width,
            Height = (uint)height,
            Fps = (uint)(fps ?? 0),
        };
    }

    public static Product Product(Protocol.Webhooks.RtmsProduct product) => product switch
    {
        Protocol.Webhooks.RtmsProduct.Meeting => Api.V1.Product.Meeting,
        Protocol.Webhooks.RtmsProduct.Webinar => Api.V1.Product.Webinar,
        Protocol.Webhooks.RtmsProduct.VideoSdk => Api.V1.Product.VideoSdk,
        Protocol.Webhooks.RtmsProduct.ContactCenter => Api.V1.Product.ContactCenter,
        Protocol.Webhooks.RtmsProduct.Phone => Api.V1.Product.Phone,
        _ => Api.V1.Product.Unspecified,
    };
}
