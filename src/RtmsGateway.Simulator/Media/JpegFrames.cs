using System.Buffers.Text;
using System.Text;

namespace RtmsGateway.Simulator;

/// <summary>
/// Real JPEG test-pattern frames (embedded resources, 320×180 baseline). Every frame sent gets a comment (COM) segment
/// after the JFIF header with its frame number (and a <see cref="SendStamp"/>), so consecutive frames differ and stay
/// valid JPEGs. The header plus COM segment is padded to a multiple of 3 bytes, so the base64 of the unchanging rest
/// of the image is computed once at startup and appended as is.
/// </summary>
internal static class JpegFrames
{
    private const int MaxCommentBytes = SendStamp.Length + 32;
    private static readonly Frame[] Frames = Load();

    public static int Count => Frames.Length;

    /// <summary>Upper bound of the base64 characters of any rendered frame.</summary>
    public static int MaxBase64Length { get; } = Frames.Max(f => Base64.GetMaxEncodedToUtf8Length(f.Head.Length + 4 + MaxCommentBytes) + f.BodyBase64.Length);

    /// <summary>Writes the base64 of frame <paramref name="frameNumber"/> into <paramref name="builder"/>; returns its decoded length.</summary>
    public static int WriteBase64(ref FrameBuilder builder, long frameNumber, DateTimeOffset? stamp)
    {
        var frame = Frames[frameNumber % Frames.Length];
        Span<byte> comment = stackalloc byte[MaxCommentBytes];
        var commentLength = 0;
        if (stamp is { } sentAt)
        {
            SendStamp.Write(comment, sentAt);
            commentLength = SendStamp.Length;
        }
        commentLength += Encoding.ASCII.GetBytes($"frame {frameNumber}", comment[commentLength..]);
        while ((frame.Head.Length + 4 + commentLength) % 3 != 0)
        {
            comment[commentLength++] = (byte)' ';
        }
        Span<byte> prefix = stackalloc byte[frame.Head.Length + 4 + commentLength];
        frame.Head.CopyTo(prefix);
        var at = frame.Head.Length;
        prefix[at] = 0xFF;
        prefix[at + 1] = 0xFE;
        prefix[at + 2] = (byte)((commentLength + 2) >> 8);
        prefix[at + 3] = (byte)(commentLength + 2);
        comment[..commentLength].CopyTo(prefix[(at + 4)..]);
        builder.AppendBase64(prefix);
        builder.Append(frame.BodyBase64);
        return prefix.Length + frame.BodyLength;
    }

    private static Frame[] Load()
    {
        var assembly = typeof(JpegFrames).Assembly;
        var frames = new List<Frame>();
        for (var i = 0; ; i++)
        {
            using var stream = assembly.GetManifestResourceStream($"RtmsGateway.Simulator.frame{i}.jpg");
            if (stream is null)
            {
                break;
            }
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            frames.Add(Frame.From(memory.ToArray()));
        }
        return frames.Count > 0 ? [.. frames] : throw new InvalidOperationException("No JPEG frames embedded.");
    }

    /// <summary>A JPEG split after SOI and its APP0 (JFIF) segment: that head is re-sent raw, the body as precomputed base64.</summary>
    private sealed record Frame(byte[] Head, byte[] BodyBase64, int BodyLength)
    {
        public static Frame From(byte[] jpeg)
        {
            if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
            {
                throw new InvalidDataException("Embedded frame is not a JPEG.");
            }
            var headEnd = 2;
            if (jpeg[2] == 0xFF && jpeg[3] == 0xE0)
            {
                headEnd = 4 + ((jpeg[4] << 8) | jpeg[5]);
            }
            // The body's base64 must start on a 3-byte boundary of the whole image: the head + COM prefix is padded to one.
            var body = jpeg.AsSpan(headEnd);
            var base64 = new byte[Base64.GetMaxEncodedToUtf8Length(body.Length)];
            Base64.EncodeToUtf8(body, base64, out _, out var written);
            return new Frame(jpeg[..headEnd], base64[..written], body.Length);
        }
    }
}
