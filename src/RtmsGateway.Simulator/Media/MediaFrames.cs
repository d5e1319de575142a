using System.Buffers;
using System.Text.Json;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>
/// Encodes outbound media messages (§4.6: <c>{"msg_type": N, "content": {...}}</c>) straight into pooled buffers from
/// pre-encoded pieces (base64 of audio slices and JPEG bodies, JSON-escaped names): the pacing loop's hot path. Rare
/// messages (transcripts, chat) are written with a <see cref="Utf8JsonWriter"/>. <c>user_id</c> is a number, or a string
/// of digits when <paramref name="idAsString"/> (a §3.4 variant).
/// </summary>
internal static class MediaFrames
{
    private const int Overhead = 192;

    /// <summary>Audio (14). <paramref name="userNameJson"/> is null for mixed audio (user_id 0, no user_name);
    /// <paramref name="channel"/> is the Contact Center party's channel.</summary>
    public static OutboundFrame Audio(long userId, byte[]? userNameJson, AudioSlice slice, long timestamp, DateTimeOffset? stamp, bool idAsString = false, PartyChannel? channel = null)
    {
        var builder = new FrameBuilder(Overhead + (userNameJson?.Length ?? 0) + slice.Base64Length);
        Start(ref builder, MessageType.MediaDataAudio, userId, userNameJson, idAsString);
        Span<byte> head = stackalloc byte[AudioSlice.HeadLength];
        slice.Head.CopyTo(head);
        if (stamp is { } sentAt)
        {
            SendStamp.Write(head, sentAt);
        }
        builder.AppendBase64(head);
        builder.Append(slice.TailBase64);
        End(ref builder, slice.Length, timestamp, channel);
        return builder.Build(isMedia: true);
    }

    /// <summary>Video (15) or share (16): a JPEG frame of <paramref name="userId"/>.</summary>
    public static OutboundFrame Image(MessageType type, long userId, byte[] userNameJson, long frameNumber, long timestamp, DateTimeOffset? stamp, bool idAsString = false)
    {
        var builder = new FrameBuilder(Overhead + userNameJson.Length + JpegFrames.MaxBase64Length);
        Start(ref builder, type, userId, userNameJson, idAsString);
        var length = JpegFrames.WriteBase64(ref builder, frameNumber, stamp);
        End(ref builder, length, timestamp, null);
        return builder.Build(isMedia: true);
    }

    /// <summary>Video (15) or share (16): H.264 access unit <paramref name="frameNumber"/> of <paramref name="clip"/>
    /// (Annex B, base64 like every media payload).</summary>
    public static OutboundFrame H264(MessageType type, long userId, byte[] userNameJson, H264Clips.Clip clip, long frameNumber, long timestamp, bool idAsString = false)
    {
        var (base64, length) = clip.Frame(frameNumber);
        var builder = new FrameBuilder(Overhead + userNameJson.Length + base64.Length);
        Start(ref builder, type, userId, userNameJson, idAsString);
        builder.Append(base64);
        End(ref builder, length, timestamp, null);
        return builder.Build(isMedia: true);
    }

    /// <summary>Transcript (17): plain text, not base64; <c>attribute</c> 1 (new), the utterance's start as
    /// <c>timestamp</c>.</summary>
    public static OutboundFrame Transcript(long userId, string userName, string text, long startTime, long endTime, TranscriptLanguage language, bool idAsString = false, PartyChannel? channel = null) =>
        Text(MessageType.MediaDataTranscript, idAsString, w =>
        {
            WriteUser(w, userId, userName, idAsString);
            w.WriteString("data"u8, text);
            w.WriteNumber("timestamp"u8, startTime);
            w.WriteNumber("start_time"u8, startTime);
            w.WriteNumber("end_time"u8, endTime);
            w.WriteNumber("language"u8, (int)language);
            w.WriteNumber("attribute"u8, (int)DataMessageAttribute.New);
            if (channel is { IsNumber: true } numeric)
            {
                w.WriteNumber("channel_id"u8, numeric.Number);
            }
            else if (channel is { } text)
            {
                w.WriteString("channel_id"u8, text.Text);
            }
        });

    /// <summary>Chat (18) from <paramref name="userId"/> to everyone: <c>data</c> in the given <paramref name="shape"/> — the
    /// plain text, an object (sender, chat session 1 everyone, operation 1 new, message id, text, no files), or a JSON
    /// string holding that object.</summary>
    public static OutboundFrame Chat(long userId, string userName, string text, long timestamp, string messageId, ChatDataShape shape, bool idAsString = false) =>
        Text(MessageType.MediaDataChat, idAsString, w =>
        {
            WriteUser(w, userId, userName, idAsString);
            switch (shape)
            {
                case ChatDataShape.Object:
                    w.WritePropertyName("data"u8);
                    WriteChatObject(w, userId, userName, text, messageId, idAsString);
                    break;
                case ChatDataShape.JsonString:
                    var inner = new ArrayBufferWriter<byte>(256);
                    using (var iw = new Utf8JsonWriter(inner))
                    {
                        WriteChatObject(iw, userId, userName, text, messageId, idAsString);
                    }
                    w.WriteString("data"u8, System.Text.Encoding.UTF8.GetString(inner.WrittenSpan));
                    break;
                default:
                    w.WriteString("data"u8, text);
                    break;
            }
            w.WriteNumber("timestamp"u8, timestamp);
        });

    private static void WriteChatObject(Utf8JsonWriter w, long userId, string userName, string text, string messageId, bool idAsString)
    {
        w.WriteStartObject();
        w.WriteStartObject("sender"u8);
        WriteUser(w, userId, userName, idAsString);
        w.WriteEndObject();
        w.WriteStartObject("chat_session"u8);
        w.WriteNumber("type"u8, 1);
        w.WriteEndObject();
        w.WriteNumber("operation_type"u8, 1);
        w.WriteString("message_id"u8, messageId);
        w.WriteString("text"u8, text);
        w.WriteStartArray("files"u8);
        w.WriteEndArray();
        w.WriteStartArray("delete_file_id_list"u8);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static OutboundFrame Text(MessageType type, bool idAsString, Action<Utf8JsonWriter> content)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("msg_type"u8, (int)type);
            w.WriteStartObject("content"u8);
            content(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return OutboundFrame.Control(buffer.WrittenSpan.ToArray()) with { IsMedia = true };
    }

    private static void WriteUser(Utf8JsonWriter w, long userId, string userName, bool idAsString)
    {
        if (idAsString)
        {
            w.WriteString("user_id"u8, userId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNumber("user_id"u8, userId);
        }
        w.WriteString("user_name"u8, userName);
    }

    private static void Start(ref FrameBuilder builder, MessageType type, long userId, byte[]? userNameJson, bool idAsString)
    {
        builder.Append("{\"msg_type\":"u8);
        builder.Append((int)type);
        builder.Append(",\"content\":{\"user_id\":"u8);
        if (idAsString)
        {
            builder.Append("\""u8);
            builder.Append(userId);
            builder.Append("\""u8);
        }
        else
        {
            builder.Append(userId);
        }
        if (userNameJson is not null)
        {
            builder.Append(",\"user_name\":"u8);
            builder.Append(userNameJson);
        }
        builder.Append(",\"data\":\""u8);
    }

    private static void End(ref FrameBuilder builder, int length, long timestamp, PartyChannel? channel)
    {
        builder.Append("\",\"length\":"u8);
        builder.Append(length);
        builder.Append(",\"timestamp\":"u8);
        builder.Append(timestamp);
        if (channel is { IsNumber: true } numeric)
        {
            builder.Append(",\"channel_id\":"u8);
            builder.Append(numeric.Number);
        }
        else if (channel is { } text)
        {
            builder.Append(",\"channel_id\":\""u8);
            builder.Append(text.Utf8);
            builder.Append("\""u8);
        }
        builder.Append("}}"u8);
    }
}
