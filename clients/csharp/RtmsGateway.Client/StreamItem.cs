using RtmsGateway.Api.V1;

namespace RtmsGateway.Client;

/// <summary>What a resilient subscription yields, in order.</summary>
public enum StreamItemKind
{
    /// <summary>A message of the channel (<see cref="StreamItem{T}.Message"/>).</summary>
    Message,

    /// <summary>Messages this subscriber will never get (<see cref="StreamItem{T}.Gap"/>): exactly one per hole.</summary>
    Gap,

    /// <summary>The session ended (<see cref="StreamItem{T}.Ended"/>); the subscription completes after it.</summary>
    Ended,
}

/// <summary>One item of a subscription: a message, a gap, or the end of the session.</summary>
/// <typeparam name="T">The channel's message: <see cref="AudioFrame"/>, <see cref="VideoFrame"/>, <see cref="TranscriptSegment"/> or <see cref="SessionEvent"/>.</typeparam>
public sealed class StreamItem<T> where T : class
{
    private StreamItem(StreamItemKind kind, ulong sequence, T? message, Gap? gap, SessionEnded? ended)
    {
        Kind = kind;
        Sequence = sequence;
        Message = message;
        Gap = gap;
        Ended = ended;
    }

    public StreamItemKind Kind { get; }

    /// <summary>The message's sequence, or the last sequence a gap covers; 0 for <see cref="StreamItemKind.Ended"/>.</summary>
    public ulong Sequence { get; }

    public T? Message { get; }

    public Gap? Gap { get; }

    public SessionEnded? Ended { get; }

    internal static StreamItem<T> OfMessage(T message, ulong sequence) => new(StreamItemKind.Message, sequence, message, null, null);

    internal static StreamItem<T> OfGap(Gap gap) => new(StreamItemKind.Gap, gap.LastMissingSequence, null, gap, null);

    internal static StreamItem<T> OfEnd(SessionEnded ended) => new(StreamItemKind.Ended, 0, null, null, ended);
}
