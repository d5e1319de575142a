using System.Buffers.Binary;

namespace RtmsGateway.Simulator;

/// <summary>
/// The send time the simulator embeds in media when <see cref="SimulatorOptions.EmbedSendTimestamps"/> is on, so a
/// consumer can measure end-to-end latency: 8 ASCII bytes <c>RTMSTS01</c> then the Unix time in microseconds as a
/// little-endian int64. Audio payloads start with it; JPEG frames carry it at the start of a comment (COM) segment.
/// </summary>
public static class SendStamp
{
    /// <summary>Bytes of a stamp.</summary>
    public const int Length = 16;

    private static ReadOnlySpan<byte> Magic => "RTMSTS01"u8;

    /// <summary>Writes a stamp for <paramref name="sentAt"/> into the first <see cref="Length"/> bytes of <paramref name="destination"/>.</summary>
    public static void Write(Span<byte> destination, DateTimeOffset sentAt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length, nameof(destination));
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], (sentAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond);
    }

    /// <summary>Reads a stamp at the start of <paramref name="payload"/> (audio) or in the comment segment of a JPEG (video, share).</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out DateTimeOffset sentAt)
    {
        sentAt = default;
        var stamp = payload.StartsWith(Magic) ? payload : FindInJpegComment(payload);
        if (stamp.Length < Length)
        {
            return false;
        }
        var micros = BinaryPrimitives.ReadInt64LittleEndian(stamp[8..]);
        if (micros is < 0 or > 253_402_300_799_000_000)
        {
            return false;
        }
        sentAt = DateTimeOffset.UnixEpoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond);
        return true;
    }

    /// <summary>Walks the JPEG marker segments before the image data and returns the payload of a COM segment that holds a stamp.</summary>
    private static ReadOnlySpan<byte> FindInJpegComment(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            return default;
        }
        var at = 2;
        while (at + 4 <= jpeg.Length && jpeg[at] == 0xFF)
        {
            var marker = jpeg[at + 1];
            if (marker is 0xDA or 0xD9)
            {
                break; // start of scan / end of image: no more header segments
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 2)..]);
            if (length < 2 || at + 2 + length > jpeg.Length)
            {
                break;
            }
            var body = jpeg.Slice(at + 4, length - 2);
            if (marker == 0xFE && body.StartsWith(Magic))
            {
                return body;
            }
            at += 2 + length;
        }
        return default;
    }
}
