using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol.Serialization;

/// <summary>
/// Reads a map of text values generously: an object's string and number values are kept (nulls dropped), a value of
/// another shape (an object, an array, a boolean) is skipped and noted in <see cref="UnreadFields"/> as
/// <c>field.key</c>; a bare string or an array of strings become entries through <see cref="FromStrings"/>; any other
/// shape reads as no entries and is noted as the field. Writes an object of strings.
/// </summary>
public abstract class LenientStringMapConverter(string field) : JsonConverter<Dictionary<string, string>>
{
    /// <summary>The entries a bare string or an array of strings stand for (the values in order, empty ones removed).</summary>
    protected abstract Dictionary<string, string> FromStrings(IReadOnlyList<string> values);

    public override Dictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return ReadObject(ref reader);
            case JsonTokenType.String:
                return FromStrings(Split(reader.GetString()!));
            case JsonTokenType.StartArray:
                var values = new List<string>();
                var index = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        values.AddRange(Split(reader.GetString()!));
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        UnreadFields.Note($"{field}[{index}]", reader.TokenType.ToString());
                        reader.Skip();
                    }
                    index++;
                }
                return FromStrings(values);
            default:
                UnreadFields.Note(field, reader.TokenType.ToString());
                reader.Skip();
                return [];
        }
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, text) in value)
        {
            writer.WriteString(key, text);
        }
        writer.WriteEndObject();
    }

    private Dictionary<string, string> ReadObject(ref Utf8JsonReader reader)
    {
        var map = new Dictionary<string, string>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    map[key] = reader.GetString()!;
                    break;
                case JsonTokenType.Number:
                    map[key] = Encoding.UTF8.GetString(reader.ValueSpan);
                    break;
                case JsonTokenType.Null:
                    map.Remove(key);
                    break;
                default:
                    UnreadFields.Note($"{field}.{key}", reader.TokenType.ToString());
                    reader.Skip();
                    break;
            }
        }
        return map;
    }

    /// <summary>One string may list several values separated by commas (as <c>server_urls</c> of the webhook does).</summary>
    private static string[] Split(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
