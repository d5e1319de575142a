using System.Text.Json;
using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol.Serialization;

/// <summary>Reads an optional integer given as a number (a fraction is truncated) or a numeric string; any other shape
/// reads as null and is noted in <see cref="UnreadFields"/> under <paramref name="field"/>, so the message survives it.
/// Writes a number.</summary>
public abstract class LenientInt64Converter(string field) : JsonConverter<long?>
{
    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (JsonIntegers.TryReadInt64(ref reader, out var value))
        {
            return value;
        }
        UnreadFields.Note(field, reader.TokenType.ToString());
        reader.Skip();
        return null;
    }

    public override void Write(Utf8JsonWriter writer, long? value, JsonSerializerOptions options)
    {
        if (value is { } n)
        {
            writer.WriteNumberValue(n);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary><c>event_ts</c> of a Contact Center event (§3.6).</summary>
public sealed class EventTsConverter() : LenientInt64Converter("event_ts");

/// <summary><c>timestamp</c> of an event.</summary>
public sealed class EventTimestampConverter() : LenientInt64Converter("timestamp");
