using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol.Serialization;

/// <summary>Reads a user id given as a JSON number or string; writes numbers as numbers and text as strings.</summary>
public sealed class RtmsUserIdConverter : JsonConverter<RtmsUserId>
{
    public override RtmsUserId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public override void Write(Utf8JsonWriter writer, RtmsUserId value, JsonSerializerOptions options)
    {
        if (value.IsText)
        {
            writer.WriteStringValue(value.ToString());
        }
        else
        {
            writer.WriteNumberValue(value.Number);
        }
    }

    internal static RtmsUserId ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var n))
                {
                    return RtmsUserId.FromNumber(n);
                }
                if (reader.TryGetUInt64(out _) || reader.TryGetDouble(out _))
                {
                    // Beyond 64 bits or fractional: keep the literal text.
                    return RtmsUserId.FromText(System.Text.Encoding.UTF8.GetString(reader.ValueSpan));
                }
                break;
            case JsonTokenType.String:
                if (!reader.ValueIsEscaped && Utf8Parser.TryParse(reader.ValueSpan, out long parsed, out var consumed) && consumed == reader.ValueSpan.Length)
                {
                    return RtmsUserId.FromNumber(parsed);
                }
                return RtmsUserId.FromText(reader.GetString() ?? string.Empty);
            case JsonTokenType.Null:
                return RtmsUserId.None;
        }
        throw new JsonException($"user_id must be a number or a string, not {reader.TokenType}.");
    }
}
