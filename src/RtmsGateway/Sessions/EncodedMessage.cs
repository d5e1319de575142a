using Google.Protobuf;

namespace RtmsGateway.Sessions;

/// <summary>
/// A response serialized once, when it is published: every subscriber's call (and the replay buffer) shares these
/// bytes, so fan-out to N subscribers costs N copies into HTTP/2 frames and no per-subscriber serialization, and a
/// retained message is two small heap objects instead of a tree of protobuf objects (less for the GC to trace and
/// promote). Immutable.
/// </summary>
internal sealed class EncodedMessage
{
    private EncodedMessage(byte[] bytes, int tag)
    {
        Bytes = bytes;
        Tag = tag;
    }

    /// <summary>The protobuf encoding of the whole response message.</summary>
    public byte[] Bytes { get; }

    /// <summary>A filterable property of the message that subscribers select on (the video source); 0 when unused.</summary>
    public int Tag { get; }

    public static EncodedMessage Of(IMessage message, int tag = 0)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(message.CalculateSize(), pinned: true);
        message.WriteTo(bytes);
        return new(bytes, tag);
    }
}
