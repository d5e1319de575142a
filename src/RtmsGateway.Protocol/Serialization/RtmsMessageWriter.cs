using System.Buffers;
using System.Text.Json;
using RtmsGateway.Protocol.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>Writes RTMS messages as UTF-8 JSON with integer enums, as Zoom expects (§1).</summary>
public static class RtmsMessageWriter
{
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static byte[] ToUtf8Bytes(RtmsMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(RtmsMessage message, IBufferWriter<byte> output)
    {
        if (message is UnrecognizedMessage unrecognized)
        {
            output.Write(unrecognized.RawJson.Span);
            return;
        }
        var writer = t_writer ??= new Utf8JsonWriter(output);
        writer.Reset(output);
        try
        {
            if (message is MediaDataMessage media)
            {
                WriteMedia(writer, media);
            }
            else
            {
                var typeInfo = RtmsMessageTypes.TypeInfoFor(message.MsgType)
                    ?? throw new ArgumentException($"No JSON model for msg_type {(int)message.MsgType}.", nameof(message));
                JsonSerializer.Serialize(writer, message, typeInfo);
            }
            writer.Flush();
        }
        finally
        {
            writer.Reset(Stream.Null);
        }
    }

    private static void WriteMedia(Utf8JsonWriter writer, MediaDataMessage m)
    {
        writer.WriteStartObject();
        writer.WriteNumber("msg_type"u8, (int)m.MsgType);
        if (m.ContentJson is { } raw)
        {
            writer.WritePropertyName("content"u8);
            writer.WriteRawValue(raw);
            writer.WriteEndObject();
            return;
        }
        writer.WriteStartObject("content"u8);
        writer.WritePropertyName("user_id"u8);
        if (m.UserId.IsText)
        {
            writer.WriteStringValue(m.UserId.ToString());
        }
        else
        {
            writer.WriteNumberValue(m.UserId.Number);
        }
        if (m.UserName is not null)
        {
            writer.WriteString("user_name"u8, m.UserName);
        }
        if (m.IsBinary)
        {
            writer.WriteBase64String("data"u8, m.Payload.Span);
        }
        else
        {
            writer.WriteString("data"u8, m.Text);
        }
        if (m.DeclaredLength is { } length)
        {
            writer.WriteNumber("length"u8, length);
        }
        writer.WriteNumber("timestamp"u8, m.Timestamp);
        if (m.StartTime is { } start)
        {
            writer.WriteNumber("start_time"u8, start);
        }
        if (m.EndTime is { } end)
        {
            writer.WriteNumber("end_time"u8, end);
        }
        if (m.Language is { } language)
        {
            writer.WriteNumber("language"u8, (int)language);
        }
        if (m.Attribute is { } attribute)
        {
            writer.WriteNumber("attribute"u8, (int)attribute);
        }
        if (m.Channel is { } text && m.ChannelId is null)
        {
            writer.WriteString("channel_id"u8, text);
        }
        else if (m.ChannelId is { } channel)
        {
            writer.WriteNumber("channel_id"u8, channel);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
