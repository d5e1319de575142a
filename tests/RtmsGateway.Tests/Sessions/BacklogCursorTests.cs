using RtmsGateway.Api.V1;
using RtmsGateway.Sessions;

namespace RtmsGateway.Tests.Sessions;

/// <summary>The gap arithmetic of a backlog assembled from history, memory and live: one gap per hole, exact ranges.</summary>
public sealed class BacklogCursorTests
{
    private static ulong S(ulong epoch, ulong n) => (epoch * Sequences.EpochStride) + n;

    [Fact]
    public void Consecutive_items_need_no_gap_and_duplicates_are_skipped()
    {
        var cursor = new BacklogCursor(S(1, 4));
        Assert.True(cursor.TryAdvance(S(1, 5), out var gap));
        Assert.Null(gap);
        Assert.False(cursor.TryAdvance(S(1, 5), out _));
        Assert.False(cursor.TryAdvance(S(1, 3), out _));
        Assert.Equal(S(1, 5), cursor.Position);
    }

    [Fact]
    public void A_hole_within_an_epoch_is_retention_with_the_exact_count()
    {
        var cursor = new BacklogCursor(S(1, 4));
        Assert.True(cursor.TryAdvance(S(1, 9), out var gap));
        Assert.Equal((S(1, 5), S(1, 8), 4ul, Gap.Types.Reason.RetentionExceeded), (gap!.FirstMissingSequence, gap.LastMissingSequence, gap.MissedCount, gap.Reason));
    }

    [Fact]
    public void From_before_the_first_message_only_what_epoch_one_lost_is_counted()
    {
        Assert.Null(BacklogCursor.Between(0, S(1, 1)));
        var gap = BacklogCursor.Between(0, S(1, 3))!;
        Assert.Equal((1ul, S(1, 2), 2ul, Gap.Types.Reason.RetentionExceeded), (gap.FirstMissingSequence, gap.LastMissingSequence, gap.MissedCount, gap.Reason));
    }

    [Fact]
    public void A_hole_across_epochs_is_an_owner_change_from_the_last_stored_to_the_new_epochs_first()
    {
        var cursor = new BacklogCursor(S(1, 10));
        Assert.True(cursor.TryAdvance(S(1, 11), out _));
        Assert.True(cursor.TryAdvance(S(2, 1), out var gap));
        Assert.Equal((S(1, 12), S(2, 0), 0ul, Gap.Types.Reason.OwnerChanged), (gap!.FirstMissingSequence, gap.LastMissingSequence, gap.MissedCount, gap.Reason));
    }

    [Fact]
    public void The_gap_before_live_covers_up_to_the_first_live_sequence()
    {
        var cursor = new BacklogCursor(S(1, 10));
        var gap = cursor.Before(S(2, 1))!;
        Assert.Equal((S(1, 11), S(2, 0), Gap.Types.Reason.OwnerChanged), (gap.FirstMissingSequence, gap.LastMissingSequence, gap.Reason));
        Assert.Equal(S(2, 0), cursor.Position);
        Assert.Null(cursor.Before(S(2, 1)));
    }
}
