namespace RtmsGateway.Protocol;

/// <summary>
/// One <see cref="MediaDataMessage"/> per media type (with its payload object), reused frame after frame by one receive
/// loop that reads with <see cref="RtmsMessageReader.Read(ReadOnlySpan{byte}, ReusableMediaMessages?)"/>: a steady
/// stream of media frames then allocates no message objects at all (the decoded bytes are rented, as always).
/// The contract is the loop's: a message read with this instance is valid until the next read with it, so whoever
/// handles it copies what it keeps before then (and disposes it as usual, returning the payload's bytes; a message not
/// disposed is reset, and its bytes returned, on the next read of its type). Not thread-safe: one loop, one instance.
/// Only <see cref="MediaPayloadAllocation.Pooled"/> readers refill payload objects; an exact payload is always new.
/// </summary>
public sealed class ReusableMediaMessages
{
    private readonly MediaDataMessage?[] _messages = new MediaDataMessage?[MessageType.MediaDataChat - MessageType.MediaDataAudio + 1];

    /// <summary>The message for <paramref name="type"/> (a media type), reset for a new frame.</summary>
    internal MediaDataMessage Take(MessageType type)
    {
        ref var slot = ref _messages[type - MessageType.MediaDataAudio];
        if (slot is null)
        {
            slot = new MediaDataMessage(type) { ReusablePayload = MediaPayload.Reusable() };
        }
        else
        {
            slot.Reset();
        }
        return slot;
    }
}
