using RtmsGateway.Api.V1;

namespace RtmsGateway.Sessions;

/// <summary>
/// A reader's position while its backlog is assembled from several sources (the cluster's history of earlier epochs, this
/// replica's retained items, then live): skips what the reader has had, and names the one <see cref="Gap"/> for each hole,
/// covering exactly the sequences between the position and the next item delivered, so gaps added up count each loss once.
/// <list type="bullet">
/// <item>A hole within one epoch (or from before the first message into epoch 1) is what nobody retains any more:
/// RETENTION_EXCEEDED, with the exact count (sequences of one epoch are consecutive).</item>
/// <item>A hole across epochs holds the end of an earlier owner's epoch that nobody stored (what Zoom sent between the old
/// owner's last stored message and its death, or the whole epoch): OWNER_CHANGED, count unknown (0).</item>
/// </list>
/// Not thread-safe: one reader's call uses it.
/// </summary>
internal sealed class BacklogCursor(ulong after)
{
    /// <summary>The last sequence the reader has had or was told it missed.</summary>
    public ulong Position { get; private set; } = after;

    /// <summary>
    /// The next item to deliver has <paramref name="sequence"/>: false when the reader has it already (skip it); else the
    /// position moves to it and <paramref name="gap"/> is the hole before it, if any.
    /// </summary>
    public bool TryAdvance(ulong sequence, out Gap? gap)
    {
        gap = null;
        if (sequence <= Position)
        {
            return false;
        }
        gap = Between(Position, sequence);
        Position = sequence;
        return true;
    }

    /// <summary>Live delivery starts at <paramref name="next"/>: the hole before it, if any (the position moves to just
    /// before it).</summary>
    public Gap? Before(ulong next)
    {
        if (next <= Position + 1)
        {
            return null;
        }
        var gap = Between(Position, next);
        Position = next - 1;
        return gap;
    }

    /// <summary>The one gap between a reader's <paramref name="after"/> and the next sequence it gets, or null when nothing
    /// that was ever published lies between them.</summary>
    public static Gap? Between(ulong after, ulong next)
    {
        if (next <= after + 1)
        {
            return null;
        }
        var epoch = Sequences.EpochOf(next);
        if (Sequences.EpochOf(after) == epoch || (after == 0 && epoch == 1))
        {
            // One owner assigned every sequence in between (there is no earlier owner when the epoch is the first).
            var missed = next - Math.Max(after + 1, Sequences.First(epoch));
            return missed == 0
                ? null
                : new Gap { FirstMissingSequence = after + 1, LastMissingSequence = next - 1, MissedCount = missed, Reason = Gap.Types.Reason.RetentionExceeded };
        }
        return new Gap { FirstMissingSequence = after + 1, LastMissingSequence = next - 1, Reason = Gap.Types.Reason.OwnerChanged };
    }
}
