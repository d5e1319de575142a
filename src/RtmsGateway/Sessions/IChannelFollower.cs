using RtmsGateway.Api.V1;

namespace RtmsGateway.Sessions;

/// <summary>
/// Something that derives from every item of a <see cref="SessionChannel{T}"/> as it is published (converted audio).
/// Every call but <see cref="Prepare"/> comes under the source channel's lock, in publication order: an implementation
/// must not wait.
/// </summary>
internal interface IChannelFollower<T>
{
    /// <summary>About to be attached: what the source retains (oldest first). Called outside the source's lock, before
    /// <see cref="Start"/>, from the attaching thread alone.</summary>
    void Prepare(IReadOnlyList<ChannelItem<T>> backlog);

    /// <summary>Attached: what the source published since <see cref="Prepare"/> (oldest first), its last sequence, and its
    /// end when it ended already.</summary>
    void Start(IReadOnlyList<ChannelItem<T>> published, ulong lastSequence, SessionEnded? ended);

    /// <summary>One item just published by the source.</summary>
    void Follow(in ChannelItem<T> item);

    /// <summary>The source ended (<paramref name="purge"/>: its media must not stay replayable).</summary>
    void Complete(SessionEnded ended, bool purge);

    /// <summary>The source's subscribers were ended with <paramref name="error"/> (drain).</summary>
    void Abort(Exception error);
}
