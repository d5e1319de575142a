using System.Numerics;

namespace RtmsGateway.Sessions.Wire;

/// <summary>
/// Writes protobuf wire format straight into a span sized up front (no message objects, no stream object): tags,
/// varints, length-delimited fields. The size helpers compute what each field will take, so a caller can size the
/// buffer exactly and write lengths before contents. Follows proto3 presence: callers skip default-valued scalars.
/// </summary>
internal ref struct ProtoSpanWriter(Span<byte> destination)
{
    private readonly Span<byte> _buffer = destination;

    public int Written { get; private set; }

    public static int VarintSize(ulong value) => ((63 - BitOperations.LeadingZeroCount(value | 1)) / 7) + 1;

    /// <summary>An int32/int64/enum value: negative numbers take ten bytes (two's complement as uint64).</summary>
    public static int SignedSize(long value) => VarintSize((ulong)value);

    public static int StringSize(string value) => System.Text.Encoding.UTF8.GetByteCount(value);

    /// <summary>Tag + length + body of a length-delimited field (field numbers below 16: one tag byte).</summary>
    public static int LengthDelimitedSize(int bodyLength) => 1 + VarintSize((ulong)bodyLength) + bodyLength;

    /// <summary>Tag + value of a varint field (field numbers below 16).</summary>
    public static int VarintFieldSize(ulong value) => 1 + VarintSize(value);

    public void Tag(int field, int wireType) => Byte((byte)((field << 3) | wireType));

    public void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            Byte((byte)(value | 0x80));
            value >>= 7;
        }
        Byte((byte)value);
    }

    public void VarintField(int field, ulong value)
    {
        Tag(field, 0);
        Varint(value);
    }

    /// <summary>Starts a length-delimited field whose body (<paramref name="length"/> bytes) the caller writes next.</summary>
    public void LengthDelimited(int field, int length)
    {
        Tag(field, 2);
        Varint((ulong)length);
    }

    public void BytesField(int field, ReadOnlySpan<byte> value)
    {
        LengthDelimited(field, value.Length);
        Raw(value);
    }

    public void StringField(int field, string value, int utf8Length)
    {
        LengthDelimited(field, utf8Length);
        var written = System.Text.Encoding.UTF8.GetBytes(value, _buffer[Written..]);
        Written += written;
    }

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer[Written..]);
        Written += bytes.Length;
    }

    private void Byte(byte value) => _buffer[Written++] = value;
}
