using System.Text.Json;
using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol.Serialization;

/// <summary>Reads a stop reason given as a number, a numeric string or a name (<see cref="StopReasonText"/>). A value of
/// another shape (an object, a fraction, a boolean) reads as <see cref="StopReason.Undefined"/>: the reason is optional
/// detail, and the message carrying it (a stream or session that stopped) must not be lost over it. Writes the number.</summary>
public sealed class StopReasonConverter : JsonConverter<StopReason>
{
    public override StopReason Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetInt32(out var n):
                return (StopReason)n;
            case JsonTokenType.String:
                return StopReasonText.Parse(reader.GetString()!);
            default:
                reader.Skip();
                return StopReason.Undefined;
        }
    }

    public override void Write(Utf8JsonWriter writer, StopReason value, JsonSerializerOptions options) => writer.WriteNumberValue((int)value);
}
