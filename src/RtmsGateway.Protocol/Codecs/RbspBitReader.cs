namespace RtmsGateway.Protocol.Codecs;

/// <summary>
/// Reads the bits of an H.264 NAL unit's payload (RBSP) MSB first, skipping emulation-prevention bytes
/// (<c>00 00 03</c> → <c>00 00</c>) as it goes; exp-Golomb codes as in H.264 §9.1. Reading past the end throws
/// <see cref="InvalidDataException"/>.
/// </summary>
public ref struct RbspBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _byte;
    private int _bit;
    private int _zeros;
    private int _current;

    public RbspBitReader(ReadOnlySpan<byte> payload)
    {
        _data = payload;
        _byte = -1;
        _bit = 8;
        _zeros = 0;
        _current = 0;
    }

    public bool ReadBit()
    {
        if (_bit == 8)
        {
            NextByte();
        }
        return ((_current >> (7 - _bit++)) & 1) != 0;
    }

    public uint ReadBits(int count)
    {
        var value = 0u;
        for (var i = 0; i < count; i++)
        {
            value = (value << 1) | (ReadBit() ? 1u : 0u);
        }
        return value;
    }

    /// <summary>ue(v).</summary>
    public uint ReadUnsignedExpGolomb()
    {
        var leadingZeros = 0;
        while (!ReadBit())
        {
            if (++leadingZeros > 31)
            {
                throw new InvalidDataException("Exp-Golomb code longer than 32 bits.");
            }
        }
        return leadingZeros == 0 ? 0 : (uint)(((1L << leadingZeros) - 1) + ReadBits(leadingZeros));
    }

    /// <summary>se(v).</summary>
    public int ReadSignedExpGolomb()
    {
        var code = ReadUnsignedExpGolomb();
        return (code & 1) != 0 ? (int)((code + 1) / 2) : -(int)(code / 2);
    }

    private void NextByte()
    {
        _byte++;
        if (_byte < _data.Length && _zeros >= 2 && _data[_byte] == 3)
        {
            _byte++;
            _zeros = 0;
        }
        if (_byte >= _data.Length)
        {
            throw new InvalidDataException("H.264 unit ended inside a syntax element.");
        }
        _current = _data[_byte];
        _zeros = _current == 0 ? _zeros + 1 : 0;
        _bit = 0;
    }
}
