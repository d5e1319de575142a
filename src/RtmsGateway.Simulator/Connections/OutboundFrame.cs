using System.Buffers;

namespace RtmsGateway.Simulator;

/// <summary>One queued WebSocket message: UTF-8 JSON in a (possibly pooled) buffer.</summary>
internal readonly record struct OutboundFrame(byte[] Buffer, int Length, bool Pooled, bool IsMedia)
{
    public static OutboundFrame Control(byte[] utf8) => new(utf8, utf8.Length, Pooled: false, IsMedia: false);

    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

    /// <summary>Returns a pooled buffer; call exactly once, after the frame was sent or dropped.</summary>
    public void Release()
    {
        if (Pooled)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
        }
    }
}
