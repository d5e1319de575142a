using System.Text;

namespace RtmsGateway.Simulator;

/// <summary>
/// Real JPEG test-pattern frames (embedded resources). Each sent frame gets a comment (COM) segment right after SOI with
/// its frame number (and send stamp), so consecutive frames differ and remain valid JPEGs.
/// </summary>
internal static class JpegFrames
{
    private static readonly byte[][] Frames = Load();

    public static int Count => Frames.Length;

    public static byte[] Render(long frameNumber, DateTimeOffset? stamp)
    {
        var source = Frames[frameNumber % Frames.Length];
        var comment = Encoding.ASCII.GetBytes($"frame {frameNumber} ");
        var payloadLength = comment.Length + (stamp is null ? 0 : SendStamp.Length);
        var segmentLength = payloadLength + 2;
        var result = new byte[source.Length + 4 + payloadLength];
        result[0] = 0xFF;
        result[1] = 0xD8;
        result[2] = 0xFF;
        result[3] = 0xFE;
        result[4] = (byte)(segmentLength >> 8);
        result[5] = (byte)segmentLength;
        comment.CopyTo(result, 6);
        if (stamp is { } sentAt)
        {
            SendStamp.Write(result.AsSpan(6 + comment.Length), sentAt);
        }
        source.AsSpan(2).CopyTo(result.AsSpan(6 + payloadLength));
        return result;
    }

    private static byte[][] Load()
    {
        var assembly = typeof(JpegFrames).Assembly;
        var frames = new List<byte[]>();
        for (var i = 0; ; i++)
        {
            using var stream = assembly.GetManifestResourceStream($"RtmsGateway.Simulator.frame{i}.jpg");
            if (stream is null)
            {
                break;
            }
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            frames.Add(memory.ToArray());
        }
        return frames.Count > 0 ? [.. frames] : throw new InvalidOperationException("No JPEG frames embedded.");
    }
}
