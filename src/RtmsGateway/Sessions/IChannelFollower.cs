using RtmsGateway.Api.V1;

namespace RtmsGateway.Sessions;

/// <summary>
/// Something that derives from every item of a <see cref="SessionChannel{T}"/> as it is published (converted audio).
/// Every call comes under the source channel's lock, in publication order: an implementation must not wait.
/// </summary>
internal interface IChannelFollower<T>
{
    /// <summary>Attached: what the source retains (oldest first), its last sequence, and its end when it ended already.</summary>
    void Start(IReadOnlyList<ChannelItem<T>> backlog, ulong lastSequence, SessionEnded? ended);

    /// <summary>One item just published by the source.</summary>
    void Follow(in ChannelItem<T> item);

    /// <summary>The source ended (<paramref name="purge"/>: its media must not stay replayable).</summary>
    void Complete(SessionEnded ended, bool purge);

    /// <summary>The source's subscribers were ended with <paramref name="error"/> (drain).</summary>
    void Abort(Exception error);
}
