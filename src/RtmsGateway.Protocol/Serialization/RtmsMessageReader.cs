using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using RtmsGateway.Protocol.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>
/// Parses one complete RTMS frame (text or binary WebSocket message, UTF-8 JSON) into a typed <see cref="RtmsMessage"/>.
/// Every failure is an <see cref="RtmsProtocolException"/>. Media data is base64-decoded straight from the frame bytes
/// into pooled (or exact-size) memory, with no intermediate string.
/// </summary>
public sealed class RtmsMessageReader
{
    /// <summary>16 MiB: well above a base64 QHD keyframe.</summary>
    public const int DefaultMaxMessageBytes = 16 * 1024 * 1024;

    private const string MissingRequiredPrefix = "JSON deserialization for type";

    /// <summary>Participant names repeat on every media frame: decoded once, then reused.</summary>
    private readonly Utf8StringCache _names = new();

    public RtmsMessageReader(int maxMessageBytes = DefaultMaxMessageBytes, MediaPayloadAllocation allocation = MediaPayloadAllocation.Pooled)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessageBytes);
        MaxMessageBytes = maxMessageBytes;
        Allocation = allocation;
    }

    public static RtmsMessageReader Default { get; } = new();

    public int MaxMessageBytes { get; }

    public MediaPayloadAllocation Allocation { get; }

    /// <summary>Reads a frame. Dispose <see cref="MediaDataMessage"/> results when done with their payload.</summary>
    public RtmsMessage Read(ReadOnlySpan<byte> utf8) => Read(utf8, null);

    /// <summary>Reads a frame; a media frame into <paramref name="reuse"/>'s message for its type when given (valid until
    /// the next read with it: see <see cref="ReusableMediaMessages"/>). Dispose <see cref="MediaDataMessage"/> results when
    /// done with their payload.</summary>
    public RtmsMessage Read(ReadOnlySpan<byte> utf8, ReusableMediaMessages? reuse)
    {
        if (utf8.Length > MaxMessageBytes)
        {
            throw new RtmsProtocolException(RtmsProtocolError.FrameTooLarge, $"Frame of {utf8.Length} bytes exceeds the limit of {MaxMessageBytes}.");
        }
        var type = PeekMessageType(utf8);
        if (MediaDataMessage.IsMediaType(type))
        {
            return ReadMedia(utf8, type, reuse);
        }
        EnsureWritableText(utf8, type);
        var typeInfo = RtmsMessageTypes.TypeInfoFor(type);
        if (typeInfo is null)
        {
            return new UnrecognizedMessage(type, utf8.ToArray());
        }
        var outer = UnreadFields.Begin();
        var ended = false;
        try
        {
            var message = (RtmsMessage)(JsonSerializer.Deserialize(utf8, typeInfo)
                ?? throw new RtmsProtocolException(RtmsProtocolError.NotAnObject, "Frame is null."));
            message.UnreadFields = UnreadFields.End(outer);
            ended = true;
            return message;
        }
        catch (InvalidOperationException ex)
        {
            // A string that is not UTF-16 once unescaped (a lone surrogate such as "\ud800").
            throw new RtmsProtocolException(RtmsProtocolError.InvalidField, $"msg_type {(int)type}: {ex.Message}", ex) { MessageType = type };
        }
        catch (JsonException ex)
        {
            var error = ex.Message.StartsWith(MissingRequiredPrefix, StringComparison.Ordinal) && ex.Message.Contains("missing required", StringComparison.Ordinal)
                ? RtmsProtocolError.MissingField
                : RtmsProtocolError.InvalidField;
            throw new RtmsProtocolException(error, $"msg_type {(int)type}: {ex.Message}", ex) { MessageType = type };
        }
        finally
        {
            if (!ended)
            {
                UnreadFields.End(outer);
            }
        }
    }

    /// <summary>
    /// Validates the frame's JSON syntax and returns its <c>msg_type</c> (an integer, or an integer in a string as the
    /// beta mock sent). One forward pass, no allocation.
    /// </summary>
    public static MessageType PeekMessageType(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read())
            {
                throw new RtmsProtocolException(RtmsProtocolError.MalformedJson, "Empty frame.");
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new RtmsProtocolException(RtmsProtocolError.NotAnObject, $"Frame is a JSON {reader.TokenType}, not an object.");
            }
            int? type = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMsgType = reader.ValueTextEquals("msg_type"u8);
                reader.Read();
                if (isMsgType)
                {
                    type = ReadInt32(ref reader) ?? throw new RtmsProtocolException(RtmsProtocolError.MissingMessageType, "msg_type must be an integer.");
                }
                else
                {
                    reader.Skip();
                }
            }
            // Anything after the object (other than white space) fails here.
            while (reader.Read())
            {
            }
            return (MessageType)(type ?? throw new RtmsProtocolException(RtmsProtocolError.MissingMessageType, "Frame has no msg_type."));
        }
        catch (JsonException ex)
        {
            throw new RtmsProtocolException(RtmsProtocolError.MalformedJson, $"Malformed JSON: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new RtmsProtocolException(RtmsProtocolError.MalformedJson, $"Malformed JSON: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Control frames are small and may be kept or relayed verbatim (unknown fields, unrecognized types), so they must
    /// be text the writer can write back: valid UTF-8, and no escaped string that is not UTF-16 (a lone surrogate such
    /// as "\ud800"). Media frames are checked field by field as they are read.
    /// </summary>
    private static void EnsureWritableText(ReadOnlySpan<byte> utf8, MessageType type)
    {
        if (!Utf8.IsValid(utf8))
        {
            throw new RtmsProtocolException(RtmsProtocolError.InvalidField, $"msg_type {(int)type}: frame has text that is not valid UTF-8.");
        }
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (InvalidOperationException ex)
        {
            throw new RtmsProtocolException(RtmsProtocolError.InvalidField, $"msg_type {(int)type}: a string is not valid once unescaped ({ex.Message}).", ex);
        }
    }

    private MediaDataMessage ReadMedia(ReadOnlySpan<byte> utf8, MessageType type, ReusableMediaMessages? reuse)
    {
        var message = reuse?.Take(type) ?? new MediaDataMessage(type);
        var outer = UnreadFields.Begin();
        var ended = false;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            reader.Read();
            ReadMediaFields(ref reader, message, utf8, topLevel: true);
            message.UnreadFields = UnreadFields.End(outer);
            ended = true;
            return message;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            message.Dispose();
            throw new RtmsProtocolException(RtmsProtocolError.InvalidField, $"msg_type {(int)type}: {ex.Message}", ex);
        }
        catch
        {
            message.Dispose();
            throw;
        }
        finally
        {
            if (!ended)
            {
                UnreadFields.End(outer);
            }
        }
    }

    // The documented shape nests the fields under "content"; one sample shows them flat at the top level with "content"
    // as the data string (§8). Both are read.
    private void ReadMediaFields(ref Utf8JsonReader reader, MediaDataMessage message, ReadOnlySpan<byte> utf8, bool topLevel)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (topLevel && reader.ValueTextEquals("msg_type"u8))
            {
                reader.Read();
            }
            else if (topLevel && reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        var start = (int)reader.TokenStartIndex;
                        ReadMediaFields(ref reader, message, utf8, topLevel: false);
                        if (message.MsgType == MessageType.MediaDataChat)
                        {
                            message.ContentJson = Encoding.UTF8.GetString(utf8[start..(int)reader.BytesConsumed]);
                        }
                        break;
                    case JsonTokenType.String:
                        ReadData(ref reader, message);
                        break;
                    case JsonTokenType.Null:
                        break;
                    default:
                        throw new RtmsProtocolException(RtmsProtocolError.InvalidField, $"msg_type {(int)message.MsgType}: content must be an object, not {reader.TokenType}.");
                }
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                ReadData(ref reader, message);
            }
            else if (reader.ValueTextEquals("user_id"u8))
            {
                reader.Read();
                message.UserId = RtmsUserIdConverter.ReadValue(ref reader);
            }
            else if (reader.ValueTextEquals("user_name"u8))
            {
                reader.Read();
                message.UserName = reader.TokenType switch
                {
                    JsonTokenType.Null => null,
                    JsonTokenType.String => _names.GetString(ref reader),
                    _ => ReadString(ref reader, "user_name"),
                };
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                message.Timestamp = ReadInt64(ref reader, "timestamp") ?? 0;
            }
            else if (reader.ValueTextEquals("length"u8))
            {
                reader.Read();
                message.DeclaredLength = (int?)ReadInt64(ref reader, "length");
            }
            else if (reader.ValueTextEquals("channel_id"u8))
            {
                reader.Read();
                ReadChannel(ref reader, message);
            }
            else if (reader.ValueTextEquals("start_time"u8))
            {
                reader.Read();
                message.StartTime = ReadInt64(ref reader, "start_time");
            }
            else if (reader.ValueTextEquals("end_time"u8))
            {
                reader.Read();
                message.EndTime = ReadInt64(ref reader, "end_time");
            }
            else if (reader.ValueTextEquals("language"u8))
            {
                reader.Read();
                message.Language = (TranscriptLanguage?)ReadInt64(ref reader, "language");
            }
            else if (reader.ValueTextEquals("attribute"u8))
            {
                reader.Read();
                message.Attribute = (DataMessageAttribute?)ReadInt64(ref reader, "attribute");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private void ReadData(ref Utf8JsonReader reader, MediaDataMessage message)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }
        if (reader.TokenType == JsonTokenType.StartObject && message.MsgType == MessageType.MediaDataChat)
        {
            message.Chat = ChatContentReader.FromElement(JsonElement.ParseValue(ref reader));
            message.ChatShape = ChatDataShape.Object;
            message.Text = message.Chat.Text;
            return;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new RtmsProtocolException(RtmsProtocolError.InvalidField, $"msg_type {(int)message.MsgType}: data must be a string, not {reader.TokenType}.");
        }
        if (!message.IsBinary)
        {
            message.Text = reader.GetString();
            if (message.MsgType == MessageType.MediaDataChat)
            {
                message.Chat = message.Text is { } text ? ChatContentReader.TryParseJsonText(text) : null;
                message.ChatShape = message.Chat is null ? ChatDataShape.Text : ChatDataShape.JsonString;
                message.Text = message.Chat?.Text ?? message.Text;
            }
            return;
        }
        if (!reader.ValueIsEscaped)
        {
            message.Payload = DecodeBase64(reader.ValueSpan, message);
            return;
        }
        // Rare: a JSON encoder escaped '/' as "\/". Unescape into pooled scratch first.
        var scratch = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            var written = reader.CopyString(scratch);
            message.Payload = DecodeBase64(scratch.AsSpan(0, written), message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary><c>channel_id</c> (Contact Center): a string in Zoom's tables and examples (<c>"123abc"</c>), a number in
    /// older text; both are kept as text, and as a number when they are one. Another shape costs only this field.</summary>
    private static void ReadChannel(ref Utf8JsonReader reader, MediaDataMessage message)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                message.Channel = Encoding.UTF8.GetString(reader.ValueSpan);
                message.ChannelId = reader.TryGetInt32(out var n) ? n : null;
                break;
            case JsonTokenType.String:
                message.Channel = reader.GetString();
                message.ChannelId = int.TryParse(message.Channel, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
                break;
            case JsonTokenType.Null:
                break;
            default:
                UnreadFields.Note("channel_id", reader.TokenType.ToString());
                reader.Skip();
                break;
        }
    }

    private MediaPayload DecodeBase64(ReadOnlySpan<byte> base64, MediaDataMessage message)
    {
        var type = message.MsgType;
        if (base64.IsEmpty)
        {
            return MediaPayload.Empty;
        }
        var max = Base64.GetMaxDecodedFromUtf8Length(base64.Length);
        var pooled = Allocation == MediaPayloadAllocation.Pooled;
        var buffer = pooled ? ArrayPool<byte>.Shared.Rent(max) : new byte[ExactDecodedLength(base64)];
        var status = Base64.DecodeFromUtf8(base64, buffer, out var consumed, out var written);
        if (status != OperationStatus.Done || consumed != base64.Length)
        {
            if (pooled)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            throw new RtmsProtocolException(RtmsProtocolError.InvalidBase64, $"msg_type {(int)type}: data is not valid base64 ({status}).");
        }
        if (!pooled && written != buffer.Length)
        {
            buffer = buffer.AsSpan(0, written).ToArray();
        }
        if (pooled && message.ReusablePayload is { } reusable)
        {
            // A frame with its data twice (flat and nested shapes at once) keeps the last, as a new payload would.
            reusable.Dispose();
            return reusable.Rearm(buffer, written);
        }
        return new MediaPayload(buffer, written, pooled);
    }

    private static int ExactDecodedLength(ReadOnlySpan<byte> base64)
    {
        var padding = base64.Length > 0 && base64[^1] == (byte)'=' ? (base64.Length > 1 && base64[^2] == (byte)'=' ? 2 : 1) : 0;
        // Too short for malformed input; the decoder then reports DestinationTooSmall/InvalidData and the frame is rejected.
        return Math.Max(0, (base64.Length / 4 * 3) - padding);
    }

    private static int? ReadInt32(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt32(out var n) => n,
        JsonTokenType.String when !reader.ValueIsEscaped && Utf8Parser.TryParse(reader.ValueSpan, out int s, out var used) && used == reader.ValueSpan.Length => s,
        _ => null,
    };

    private static long? ReadInt64(ref Utf8JsonReader reader, string field) =>
        JsonIntegers.TryReadInt64(ref reader, out var value)
            ? value
            : throw new RtmsProtocolException(RtmsProtocolError.InvalidField, $"{field} must be an integer, not {reader.TokenType}.");

    private static string? ReadString(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
        _ => throw new RtmsProtocolException(RtmsProtocolError.InvalidField, $"{field} must be a string, not {reader.TokenType}."),
    };
}
