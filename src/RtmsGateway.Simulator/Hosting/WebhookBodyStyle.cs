namespace RtmsGateway.Simulator;

/// <summary>
/// How webhook bodies are laid out. Zoom signs the exact bytes it sends (§2.5), so a receiver that parses and
/// re-serializes the body before checking <c>x-zm-signature</c> fails on anything but the one layout it happens to
/// reproduce. Combine flags to vary several things at once.
/// </summary>
[Flags]
public enum WebhookBodyStyle
{
    /// <summary>Compact JSON, keys in the documented order (<c>event</c>, <c>event_ts</c>, <c>payload</c>).</summary>
    Compact = 0,

    /// <summary>Indented, with spaces after colons and line breaks.</summary>
    Whitespace = 1,

    /// <summary>Keys in another order: <c>payload</c> first, <c>event</c> last.</summary>
    ReorderedKeys = 2,

    /// <summary>A <c>topic</c> field (as Zoom's other meeting webhooks carry) with non-ASCII characters written as raw
    /// UTF-8, not <c>\u</c> escapes.</summary>
    NonAscii = 4,
}
