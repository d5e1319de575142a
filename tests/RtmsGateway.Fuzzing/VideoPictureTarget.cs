using RtmsGateway.Protocol;
using RtmsGateway.Protocol.Codecs;

namespace RtmsGateway.Fuzzing;

/// <summary>
/// <see cref="VideoPicture.Inspect"/> on arbitrary frame bytes (the gateway runs it on every video frame Zoom sends): the
/// first input byte picks the codec (H.264, JPG, PNG or unknown), the rest is the frame. It never throws, and a size it
/// reports is a plausible picture size.
/// </summary>
public sealed class VideoPictureTarget : IFuzzTarget
{
    private static readonly MediaCodec[] Codecs = [MediaCodec.H264, MediaCodec.Jpg, MediaCodec.Png, MediaCodec.Undefined];

    public string Name => "video";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }
        var codec = Codecs[input[0] % Codecs.Length];
        var picture = VideoPicture.Inspect(codec, input[1..]);
        if (picture.HasSize && (picture.Width > VideoPicture.MaxDimension || picture.Height > VideoPicture.MaxDimension))
        {
            throw new ContractViolationException($"{codec}: implausible size {picture.Width}×{picture.Height}.");
        }
        if (!picture.HasSize && (picture.Width != 0 || picture.Height != 0))
        {
            throw new ContractViolationException($"{codec}: a half-known size {picture.Width}×{picture.Height}.");
        }
    }
}
