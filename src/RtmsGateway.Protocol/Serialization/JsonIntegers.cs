using System.Buffers.Text;
using System.Text.Json;

namespace RtmsGateway.Protocol.Serialization;

/// <summary>The integer shapes Zoom's fields come in: null, a number (a fraction is truncated) or an unescaped numeric
/// string. Shared by the media frame reader (which refuses other shapes) and the lenient converters (which skip them).</summary>
internal static class JsonIntegers
{
    /// <summary>Reads the current token as an optional 64-bit integer; false when it has another shape.</summary>
    public static bool TryReadInt64(ref Utf8JsonReader reader, out long? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.Number when reader.TryGetInt64(out var n):
                value = n;
                return true;
            case JsonTokenType.Number when reader.TryGetDouble(out var d) && d is >= long.MinValue and <= long.MaxValue:
                value = (long)d;
                return true;
            case JsonTokenType.String when !reader.ValueIsEscaped && Utf8Parser.TryParse(reader.ValueSpan, out long s, out var used) && used == reader.ValueSpan.Length:
                value = s;
                return true;
            default:
                return false;
        }
    }
}
