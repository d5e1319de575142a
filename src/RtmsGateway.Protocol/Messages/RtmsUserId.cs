using System.Globalization;
using System.Text.Json.Serialization;
using RtmsGateway.Protocol.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>
/// A Zoom participant id. Zoom sends it as a number (up to 64 bits) in most messages and as a string in
/// some examples (§3.4), so both are kept: numeric ids as <see cref="Number"/>, anything else as text.
/// </summary>
[JsonConverter(typeof(RtmsUserIdConverter))]
public readonly record struct RtmsUserId
{
    private readonly string? _text;

    private RtmsUserId(long number, string? text)
    {
        Number = number;
        _text = text;
    }

    /// <summary>The id 0: mixed audio or no participant.</summary>
    public static RtmsUserId None => default;

    /// <summary>The numeric value; 0 for textual ids.</summary>
    public long Number { get; }

    /// <summary>True when Zoom sent the id as a string that is not a plain integer.</summary>
    public bool IsText => _text is not null;

    /// <summary>True for 0 (mixed audio) and the empty id.</summary>
    public bool IsNone => _text is null ? Number == 0 : _text.Length == 0;

    public static RtmsUserId FromNumber(long number) => new(number, null);

    /// <summary>An id from text; integer text becomes a numeric id.</summary>
    public static RtmsUserId FromText(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? new(n, null)
            : new(0, text);

    public override string ToString() => _text ?? Number.ToString(CultureInfo.InvariantCulture);
}
