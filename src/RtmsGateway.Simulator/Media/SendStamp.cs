using System.Buffers.Binary;

namespace RtmsGateway.Simulator;

/// <summary>
/// The send time the simulator embeds in media when <see cref="SimulatorOptions.EmbedSendTimestamps"/> is on, so a
/// consumer can measure end-to-end latency: 8 ASCII bytes <c>RTMSTS01</c> then the Unix time in microseconds as a
/// little-endian int64 — at the start of an audio payload, and inside a JPEG comment (COM) segment.
/// </summary>
public static class SendStamp
{
    public const int Length = 16;
    private static readonly byte[] Magic = "RTMSTS01"u8.ToArray();

    public static void Write(Span<byte> destination, DateTimeOffset sentAt)
    {
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], (sentAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
    }

    /// <summary>Finds a stamp at the start of <paramref name="payload"/> or in a JPEG's comment segment.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out DateTimeOffset sentAt)
    {
        sentAt = default;
        var at = payload.StartsWith(Magic) ? 0 : payload.IndexOf(Magic);
        if (at < 0 || payload.Length < at + Length)
        {
            return false;
        }
        var micros = BinaryPrimitives.ReadInt64LittleEndian(payload[(at + 8)..]);
        sentAt = DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
        return true;
    }
}
