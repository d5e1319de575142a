namespace RtmsGateway.Protocol.Serialization;

/// <summary>
/// Collects the optional fields of one frame that came in a shape the reader does not know (an object where a number
/// belongs, say). Such a field is skipped and named in <see cref="RtmsMessage.UnreadFields"/>; the rest of the message is
/// kept. <see cref="RtmsMessageReader"/> opens a scope around each frame; converters report into it (deserialization of
/// one frame runs on one thread, so the scope is thread-static).
/// </summary>
internal static class UnreadFields
{
    [ThreadStatic]
    private static List<string>? t_current;

    /// <summary>Starts collecting for one frame; returns what an outer scope had collected, to restore.</summary>
    public static List<string>? Begin()
    {
        var outer = t_current;
        t_current = null;
        return outer;
    }

    /// <summary>Ends the frame's scope: the fields collected (null when none) and the outer scope restored.</summary>
    public static List<string>? End(List<string>? outer)
    {
        var collected = t_current;
        t_current = outer;
        return collected;
    }

    /// <summary>Notes a skipped field: its name and the shape it came in.</summary>
    public static void Note(string field, string shape) => (t_current ??= []).Add($"{field} ({shape})");
}
