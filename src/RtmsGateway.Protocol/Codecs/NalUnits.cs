namespace RtmsGateway.Protocol.Codecs;

/// <summary>
/// Walks the NAL units of an H.264 Annex B byte stream (ITU-T H.264 Annex B: each unit follows a 3- or 4-byte start code
/// <c>00 00 01</c> / <c>00 00 00 01</c>). Allocation-free: units are slices of the input.
/// </summary>
public ref struct NalUnits
{
    private readonly ReadOnlySpan<byte> _stream;
    private int _next;

    public NalUnits(ReadOnlySpan<byte> annexB)
    {
        _stream = annexB;
        _next = FindStart(annexB, 0, out var codeLength) is var at and >= 0 ? at + codeLength : annexB.Length;
        Current = default;
    }

    /// <summary>The current unit without its start code (its first byte is the NAL header).</summary>
    public ReadOnlySpan<byte> Current { get; private set; }

    /// <summary>The offset of the current unit's first byte in the input.</summary>
    public int CurrentOffset { get; private set; }

    /// <summary>nal_unit_type of the current unit (the low 5 bits of its header).</summary>
    public readonly int CurrentType => Current.IsEmpty ? -1 : Current[0] & 0x1F;

    public readonly NalUnits GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_next < _stream.Length)
        {
            var start = _next;
            var end = FindStart(_stream, start, out var codeLength);
            if (end < 0)
            {
                end = _stream.Length;
                _next = end;
            }
            else
            {
                _next = end + codeLength;
            }
            // Trailing zero bytes before the next start code belong to neither unit (trailing_zero_8bits).
            var unitEnd = end;
            while (unitEnd > start && _stream[unitEnd - 1] == 0)
            {
                unitEnd--;
            }
            if (unitEnd > start)
            {
                Current = _stream[start..unitEnd];
                CurrentOffset = start;
                return true;
            }
        }
        Current = default;
        return false;
    }

    /// <summary>The offset of the next start code at or after <paramref name="from"/>, -1 when there is none.</summary>
    private static int FindStart(ReadOnlySpan<byte> stream, int from, out int codeLength)
    {
        codeLength = 3;
        for (var i = from; i + 2 < stream.Length;)
        {
            var at = stream[i..].IndexOf((byte)1);
            if (at < 0)
            {
                return -1;
            }
            var one = i + at;
            if (one - i >= 2 && stream[one - 1] == 0 && stream[one - 2] == 0)
            {
                var begin = one - 2;
                if (begin > from && stream[begin - 1] == 0)
                {
                    begin--;
                    codeLength = 4;
                }
                return begin;
            }
            i = one + 1;
        }
        return -1;
    }
}
