using System.Text.Json;

namespace RtmsGateway.Protocol.Serialization;

/// <summary>
/// Strings that come again frame after frame (a participant's <c>user_name</c> on every audio frame), kept with their
/// UTF-8 bytes: a repeat costs a byte comparison instead of a new string. A few entries, replaced round-robin. Safe for
/// concurrent readers (the sockets of one stream share their reader): an entry is immutable and replaced whole, so a
/// reader sees either the old entry or the new one, and a string it returns always decodes exactly the bytes it was
/// given. Only unescaped strings are cached, and only after <see cref="Utf8JsonReader.GetString"/> decoded them (so
/// text that is not valid UTF-8 still fails the frame).
/// </summary>
internal sealed class Utf8StringCache
{
    /// <summary>Longer strings are decoded each time (names are short; a cache of long strings would only hold memory).</summary>
    public const int MaxBytes = 256;

    private readonly Entry?[] _entries;
    private int _next;

    public Utf8StringCache(int slots = 16)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        _entries = new Entry?[slots];
    }

    /// <summary>The current string token's text: the cached string when the same bytes were read before.</summary>
    public string? GetString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxBytes)
        {
            return reader.GetString();
        }
        var utf8 = reader.ValueSpan;
        for (var i = 0; i < _entries.Length; i++)
        {
            if (Volatile.Read(ref _entries[i]) is { } entry && utf8.SequenceEqual(entry.Utf8))
            {
                return entry.Text;
            }
        }
        var text = reader.GetString()!;
        var slot = (int)((uint)Interlocked.Increment(ref _next) % (uint)_entries.Length);
        Volatile.Write(ref _entries[slot], new Entry(utf8.ToArray(), text));
        return text;
    }

    private sealed class Entry(byte[] utf8, string text)
    {
        public byte[] Utf8 { get; } = utf8;

        public string Text { get; } = text;
    }
}
