using RtmsGateway.Api.V1;

namespace RtmsGateway.Sessions.Wire;

/// <summary>
/// Encodes a <see cref="SubscribeAudioResponse"/> carrying one <see cref="AudioFrame"/> directly from its parts, into one
/// exact-size array: the same bytes Google.Protobuf writes for the message tree (field order, proto3 defaults
/// omitted), without building the tree (five objects per frame) or walking it twice (size, then write). The session's
/// <see cref="AudioFormat"/> is encoded once per negotiation and copied in.
/// </summary>
internal static class AudioResponseEncoder
{
    /// <summary>The encoded header fields of one frame (<see cref="MessageHeader"/>).</summary>
    internal readonly record struct Header(ulong Sequence, long ZoomTimestampMs, DateTimeOffset ReceivedAt, string UserId, string? UserName);

    public static byte[] Encode(in Header header, ReadOnlySpan<byte> format, ReadOnlySpan<byte> data, int channelId, string? channel)
    {
        var (seconds, nanos) = TimestampParts(header.ReceivedAt);
        var userIdLength = ProtoSpanWriter.StringSize(header.UserId);
        var userNameLength = string.IsNullOrEmpty(header.UserName) ? 0 : ProtoSpanWriter.StringSize(header.UserName);
        var channelLength = string.IsNullOrEmpty(channel) ? 0 : ProtoSpanWriter.StringSize(channel);

        var timestampSize = (seconds != 0 ? ProtoSpanWriter.VarintFieldSize((ulong)seconds) : 0) + (nanos != 0 ? ProtoSpanWriter.VarintFieldSize((ulong)nanos) : 0);
        var headerSize = (header.Sequence != 0 ? ProtoSpanWriter.VarintFieldSize(header.Sequence) : 0)
            + (header.ZoomTimestampMs != 0 ? 1 + ProtoSpanWriter.SignedSize(header.ZoomTimestampMs) : 0)
            + ProtoSpanWriter.LengthDelimitedSize(timestampSize)
            + (userIdLength != 0 ? ProtoSpanWriter.LengthDelimitedSize(userIdLength) : 0)
            + (userNameLength != 0 ? ProtoSpanWriter.LengthDelimitedSize(userNameLength) : 0);
        var frameSize = ProtoSpanWriter.LengthDelimitedSize(headerSize)
            + ProtoSpanWriter.LengthDelimitedSize(format.Length)
            + (data.Length != 0 ? ProtoSpanWriter.LengthDelimitedSize(data.Length) : 0)
            + (channelId != 0 ? 1 + ProtoSpanWriter.SignedSize(channelId) : 0)
            + (channelLength != 0 ? ProtoSpanWriter.LengthDelimitedSize(channelLength) : 0);
        var bytes = GC.AllocateUninitializedArray<byte>(ProtoSpanWriter.LengthDelimitedSize(frameSize));

        var w = new ProtoSpanWriter(bytes);
        w.LengthDelimited(SubscribeAudioResponse.FrameFieldNumber, frameSize);
        w.LengthDelimited(AudioFrame.HeaderFieldNumber, headerSize);
        if (header.Sequence != 0)
        {
            w.VarintField(MessageHeader.SequenceFieldNumber, header.Sequence);
        }
        if (header.ZoomTimestampMs != 0)
        {
            w.VarintField(MessageHeader.ZoomTimestampMsFieldNumber, (ulong)header.ZoomTimestampMs);
        }
        w.LengthDelimited(MessageHeader.ReceivedAtFieldNumber, timestampSize);
        if (seconds != 0)
        {
            w.VarintField(Google.Protobuf.WellKnownTypes.Timestamp.SecondsFieldNumber, (ulong)seconds);
        }
        if (nanos != 0)
        {
            w.VarintField(Google.Protobuf.WellKnownTypes.Timestamp.NanosFieldNumber, (ulong)nanos);
        }
        if (userIdLength != 0)
        {
            w.StringField(MessageHeader.UserIdFieldNumber, header.UserId, userIdLength);
        }
        if (userNameLength != 0)
        {
            w.StringField(MessageHeader.UserNameFieldNumber, header.UserName!, userNameLength);
        }
        w.BytesField(AudioFrame.FormatFieldNumber, format);
        if (data.Length != 0)
        {
            w.BytesField(AudioFrame.DataFieldNumber, data);
        }
        if (channelId != 0)
        {
            w.VarintField(AudioFrame.ChannelIdFieldNumber, (ulong)(long)channelId);
        }
        if (channelLength != 0)
        {
            w.StringField(AudioFrame.ChannelFieldNumber, channel!, channelLength);
        }
        return w.Written == bytes.Length ? bytes : throw new InvalidOperationException($"Audio response size {w.Written} differs from the computed {bytes.Length}.");
    }

    /// <summary>
    /// A converted frame: the source frame's encoded header and trailing fields copied byte for byte (so sequence, times,
    /// user and channel stay exactly the source's), with another format and payload.
    /// </summary>
    public static byte[] EncodeConverted(ReadOnlySpan<byte> header, ReadOnlySpan<byte> format, ReadOnlySpan<byte> data, ReadOnlySpan<byte> trailer)
    {
        var frameSize = ProtoSpanWriter.LengthDelimitedSize(header.Length)
            + ProtoSpanWriter.LengthDelimitedSize(format.Length)
            + (data.Length != 0 ? ProtoSpanWriter.LengthDelimitedSize(data.Length) : 0)
            + trailer.Length;
        var bytes = GC.AllocateUninitializedArray<byte>(ProtoSpanWriter.LengthDelimitedSize(frameSize));
        var w = new ProtoSpanWriter(bytes);
        w.LengthDelimited(SubscribeAudioResponse.FrameFieldNumber, frameSize);
        w.BytesField(AudioFrame.HeaderFieldNumber, header);
        w.BytesField(AudioFrame.FormatFieldNumber, format);
        if (data.Length != 0)
        {
            w.BytesField(AudioFrame.DataFieldNumber, data);
        }
        w.Raw(trailer);
        return w.Written == bytes.Length ? bytes : throw new InvalidOperationException($"Converted audio response size {w.Written} differs from the computed {bytes.Length}.");
    }

    /// <summary>What <see cref="Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset"/> stores.</summary>
    private static (long Seconds, int Nanos) TimestampParts(DateTimeOffset at)
    {
        var ticks = at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = ticks / TimeSpan.TicksPerSecond;
        var nanos = (int)(ticks % TimeSpan.TicksPerSecond) * 100;
        if (nanos < 0)
        {
            seconds--;
            nanos += 1_000_000_000;
        }
        return (seconds, nanos);
    }
}
