namespace RtmsGateway.Protocol.Codecs;

/// <summary>
/// What one encoded video frame says about itself: its size when the frame carries it (a JPEG's SOF, a PNG's IHDR, an
/// H.264 access unit's SPS; 0 × 0 otherwise), and whether a decoder can start from it (an image always; an H.264 access
/// unit with an IDR slice).
/// </summary>
public readonly record struct VideoPicture(int Width, int Height, bool IsKeyFrame)
{
    /// <summary>Largest width or height taken as real (H.264 level 6.2 tops out at 8192; JPEG and PNG headers allow
    /// more, but such a size in a Zoom frame is garbage).</summary>
    public const int MaxDimension = 16384;

    public bool HasSize => Width > 0 && Height > 0;

    /// <summary>A picture of that size, or of unknown size when either dimension is 0 or implausible.</summary>
    private static VideoPicture Sized(long width, long height, bool key) =>
        width is > 0 and <= MaxDimension && height is > 0 and <= MaxDimension ? new VideoPicture((int)width, (int)height, key) : new VideoPicture(0, 0, key);

    /// <summary>Inspects <paramref name="data"/> as <paramref name="codec"/> (Jpg, Png or H264). Never throws: what cannot
    /// be read is reported as unknown (no size, not a key frame for H.264).</summary>
    public static VideoPicture Inspect(MediaCodec codec, ReadOnlySpan<byte> data) => codec switch
    {
        MediaCodec.H264 => H264(data),
        MediaCodec.Png => Png(data),
        MediaCodec.Jpg => Jpeg(data),
        _ => Sniff(data),
    };

    /// <summary>The codec the bytes are in, when the negotiated one is not known.</summary>
    private static VideoPicture Sniff(ReadOnlySpan<byte> data) =>
        data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8]) ? Jpeg(data)
        : data.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']) ? Png(data)
        : H264(data);

    private static VideoPicture H264(ReadOnlySpan<byte> accessUnit)
    {
        var key = false;
        int width = 0, height = 0;
        foreach (var unit in new NalUnits(accessUnit))
        {
            switch (unit[0] & 0x1F)
            {
                case 5:
                    key = true;
                    break;
                case 7 when width == 0 && H264SequenceParameters.TryParse(unit, out var sps):
                    (width, height) = (sps.Width, sps.Height);
                    break;
            }
        }
        return Sized(width, height, key);
    }

    /// <summary>PNG: the IHDR chunk comes first (8-byte signature, length, "IHDR", width, height, big-endian).</summary>
    private static VideoPicture Png(ReadOnlySpan<byte> png)
    {
        if (png.Length < 24 || !png[12..16].SequenceEqual("IHDR"u8))
        {
            return new VideoPicture(0, 0, true);
        }
        return Sized(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png[16..]), System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png[20..]), true);
    }

    /// <summary>JPEG: walks the marker segments to the first start-of-frame (SOF0–SOF15 except DHT C4, JPG C8, DAC CC).</summary>
    private static VideoPicture Jpeg(ReadOnlySpan<byte> jpeg)
    {
        var at = 2;
        while (at + 4 <= jpeg.Length)
        {
            if (jpeg[at] != 0xFF)
            {
                break;
            }
            var marker = jpeg[at + 1];
            if (marker == 0xFF)
            {
                at++; // fill byte
                continue;
            }
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                at += 2;
                continue;
            }
            var length = (jpeg[at + 2] << 8) | jpeg[at + 3];
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                if (at + 9 > jpeg.Length || length < 7)
                {
                    break;
                }
                // Height 0 means "defined later by a DNL marker": unknown here.
                return Sized((jpeg[at + 7] << 8) | jpeg[at + 8], (jpeg[at + 5] << 8) | jpeg[at + 6], true);
            }
            if (marker is 0xDA or 0xD9 || length < 2)
            {
                break; // image data started (or ended) before any SOF
            }
            at += 2 + length;
        }
        return new VideoPicture(0, 0, true);
    }
}
