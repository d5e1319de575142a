namespace RtmsGateway.Simulator;

/// <summary>
/// One audio packet's PCM, pre-encoded: the first <see cref="HeadLength"/> bytes raw (they may be overwritten by a
/// <see cref="SendStamp"/>, and 18 is a multiple of 3, so their base64 is independent of the rest) and the base64 of the
/// remaining bytes, computed once and shared by every packet that carries this slice.
/// </summary>
internal sealed class AudioSlice(byte[] head, byte[] tailBase64, int length)
{
    public const int HeadLength = 18;

    public byte[] Head { get; } = head;

    public byte[] TailBase64 { get; } = tailBase64;

    /// <summary>Decoded bytes (the <c>length</c> field).</summary>
    public int Length { get; } = length;

    /// <summary>Characters of <c>data</c>.</summary>
    public int Base64Length => 24 + TailBase64.Length;
}
