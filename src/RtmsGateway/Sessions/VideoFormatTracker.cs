using RtmsGateway.Api.V1;
using RtmsGateway.Protocol;
using RtmsGateway.Protocol.Codecs;

namespace RtmsGateway.Sessions;

/// <summary>
/// The format of one video source as its frames show it: the negotiated codec and fps, and the size the latest frame
/// that carries one says (a JPEG's SOF, a PNG's IHDR, an H.264 SPS; H.264 frames without an SPS keep the last size).
/// Zoom may change the resolution with the sender's conditions, and its JPEG size need not be the one requested, so
/// the size is read, not assumed. Until a frame shows one, the requested resolution's size is reported.
/// </summary>
/// <remarks>Not thread-safe: <see cref="Next"/> is called under the video channel's publish lock.</remarks>
internal sealed class VideoFormatTracker(MediaCodec? codec, VideoFormat negotiated)
{
    private VideoFormat _current = negotiated;

    /// <summary>The latest format (read without a lock by session snapshots).</summary>
    public VideoFormat Current => Volatile.Read(ref _current);

    /// <summary>Inspects <paramref name="data"/>: the format to send with it (the same instance while the size holds)
    /// and whether a decoder can start from it.</summary>
    public (VideoFormat Format, bool KeyFrame) Next(ReadOnlySpan<byte> data)
    {
        var picture = VideoPicture.Inspect(codec ?? MediaCodec.Undefined, data);
        var current = _current;
        if (picture.HasSize && (current.Width != (uint)picture.Width || current.Height != (uint)picture.Height))
        {
            current = current.Clone();
            current.Width = (uint)picture.Width;
            current.Height = (uint)picture.Height;
            Volatile.Write(ref _current, current);
        }
        return (current, picture.IsKeyFrame);
    }
}
