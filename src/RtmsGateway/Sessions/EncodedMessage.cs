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

    /// <summary>Bytes encoded already (by a direct encoder such as <see cref="Wire.AudioResponseEncoder"/>); owned from now on.</summary>
    public static EncodedMessage FromEncoded(byte[] bytes, int tag = 0) => new(bytes, tag);

    public static EncodedMessage Of(IMessage message, int tag = 0)
    {
        // An ordinary (unpinned) array: the pinned object heap allocates under a global lock and is only collected in
        // gen2, which at 25 000 messages/s made allocation and gen2 pauses the gateway's largest costs.
        var bytes = GC.AllocateUninitializedArray<byte>(message.CalculateSize());
        message.WriteTo(bytes);
        return new(bytes, tag);
    }
}
