using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>
/// Encodes outbound media messages (§4.6: <c>{"msg_type": N, "content": {...}}</c>) straight into pooled buffers from
/// pre-encoded pieces (base64 of audio slices and JPEG bodies, JSON-escaped names): the pacing loop's hot path. Rare
/// messages (transcripts) go through <see cref="RtmsMessageWriter"/>.
/// </summary>
internal static class MediaFrames
{
    private const int Overhead = 160;

    /// <summary>Audio (14). <paramref name="userNameJson"/> is null for mixed audio (user_id 0, no user_name).</summary>
    public static OutboundFrame Audio(long userId, byte[]? userNameJson, AudioSlice slice, long timestamp, DateTimeOffset? stamp)
    {
        var builder = new FrameBuilder(Overhead + (userNameJson?.Length ?? 0) + slice.Base64Length);
        Start(ref builder, MessageType.MediaDataAudio, userId, userNameJson);
        Span<byte> head = stackalloc byte[AudioSlice.HeadLength];
        slice.Head.CopyTo(head);
        if (stamp is { } sentAt)
        {
            SendStamp.Write(head, sentAt);
        }
        builder.AppendBase64(head);
        builder.Append(slice.TailBase64);
        End(ref builder, slice.Length, timestamp);
        return builder.Build(isMedia: true);
    }

    /// <summary>Video (15) or share (16): a JPEG frame of <paramref name="userId"/>.</summary>
    public static OutboundFrame Image(MessageType type, long userId, byte[] userNameJson, long frameNumber, long timestamp, DateTimeOffset? stamp)
    {
        var builder = new FrameBuilder(Overhead + userNameJson.Length + JpegFrames.MaxBase64Length);
        Start(ref builder, type, userId, userNameJson);
        var length = JpegFrames.WriteBase64(ref builder, frameNumber, stamp);
        End(ref builder, length, timestamp);
        return builder.Build(isMedia: true);
    }

    /// <summary>Transcript (17): plain text, not base64.</summary>
    public static OutboundFrame Transcript(long userId, string userName, string text, long startTime, long endTime) =>
        OutboundFrame.Control(RtmsMessageWriter.ToUtf8Bytes(new MediaDataMessage(MessageType.MediaDataTranscript)
        {
            UserId = RtmsUserId.FromNumber(userId),
            UserName = userName,
            Text = text,
            StartTime = startTime,
            EndTime = endTime,
            Language = TranscriptLanguage.English,
            Timestamp = startTime,
        })) with { IsMedia = true };

    private static void Start(ref FrameBuilder builder, MessageType type, long userId, byte[]? userNameJson)
    {
        builder.Append("{\"msg_type\":"u8);
        builder.Append((int)type);
        builder.Append(",\"content\":{\"user_id\":"u8);
        builder.Append(userId);
        if (userNameJson is not null)
        {
            builder.Append(",\"user_name\":"u8);
            builder.Append(userNameJson);
        }
        builder.Append(",\"data\":\""u8);
    }

    private static void End(ref FrameBuilder builder, int length, long timestamp)
    {
        builder.Append("\",\"length\":"u8);
        builder.Append(length);
        builder.Append(",\"timestamp\":"u8);
        builder.Append(timestamp);
        builder.Append("}}"u8);
    }
}
