using System.Globalization;

namespace RtmsGateway.Protocol;

/// <summary>
/// A stop reason Zoom sends as text: a number in a string (<c>"6"</c>), or a name. Names are matched ignoring case,
/// underscores and Zoom's <c>STOP_BC_</c> prefix (<c>"STOP_BC_MEETING_ENDED"</c>, <c>"meeting_ended"</c> →
/// <see cref="StopReason.MeetingEnded"/>); a name this model does not know reads as <see cref="StopReason.Undefined"/>,
/// so the message carrying it (a stream that stopped) is never lost over its reason.
/// </summary>
public static class StopReasonText
{
    private static readonly Dictionary<string, StopReason> ByName =
        Enum.GetValues<StopReason>().ToDictionary(r => Normalize(r.ToString()), r => r);

    public static StopReason Parse(string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number is >= int.MinValue and <= int.MaxValue)
        {
            return (StopReason)(int)number;
        }
        var name = Normalize(text);
        if (name.StartsWith("STOPBC", StringComparison.Ordinal))
        {
            name = name["STOPBC".Length..];
        }
        return ByName.GetValueOrDefault(name, StopReason.Undefined);
    }

    private static string Normalize(string text) =>
        string.Concat(text.Where(char.IsAsciiLetterOrDigit)).ToUpperInvariant();
}
