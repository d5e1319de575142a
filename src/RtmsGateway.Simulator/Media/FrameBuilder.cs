using System.Buffers;
using System.Buffers.Text;

namespace RtmsGateway.Simulator;

/// <summary>Appends UTF-8 JSON pieces into a pooled buffer sized up front by the caller.</summary>
internal ref struct FrameBuilder
{
    private readonly byte[] _buffer;
    private int _length;

    public FrameBuilder(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    public void Append(scoped ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(_buffer.AsSpan(_length));
        _length += utf8.Length;
    }

    public void Append(long number)
    {
        if (!Utf8Formatter.TryFormat(number, _buffer.AsSpan(_length), out var written))
        {
            throw new InvalidOperationException("Frame buffer too small.");
        }
        _length += written;
    }

    /// <summary>Appends the base64 of <paramref name="bytes"/> (no padding unless its length is not a multiple of 3).</summary>
    public void AppendBase64(scoped ReadOnlySpan<byte> bytes)
    {
        Base64.EncodeToUtf8(bytes, _buffer.AsSpan(_length), out _, out var written);
        _length += written;
    }

    public readonly OutboundFrame Build(bool isMedia) => new(_buffer, _length, Pooled: true, isMedia);
}
