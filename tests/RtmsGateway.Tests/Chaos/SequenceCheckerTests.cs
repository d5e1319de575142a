using RtmsGateway.Api.V1;

namespace RtmsGateway.Tests.Chaos;

/// <summary>The chaos consumers' judge, on hand-written streams: it must flag every broken promise and nothing else.</summary>
public sealed class SequenceCheckerTests
{
    private const ulong Epoch1 = 1_000_000_000_000;
    private const ulong Epoch2 = 2_000_000_000_000;
    private readonly List<(ViolationKind Kind, string Detail)> _violations = [];

    private SequenceChecker Checker(ChannelKind channel = ChannelKind.Audio) => new(channel, "test", (kind, detail) => _violations.Add((kind, detail)));

    private static Observation Gap(ulong first, ulong last, Gap.Types.Reason reason, ulong count = 0) =>
        Observation.OfGap(new Gap { FirstMissingSequence = first, LastMissingSequence = last, Reason = reason, MissedCount = count });

    private static void Feed(SequenceChecker checker, params Observation[] observations)
    {
        foreach (var observation in observations)
        {
            checker.Observe(observation);
        }
    }

    private static Observation M(ulong sequence) => Observation.Message(sequence);

    private ViolationKind[] Kinds => [.. _violations.Select(v => v.Kind)];

    [Fact]
    public void Consecutive_messages_and_an_exact_slow_subscriber_gap_are_fine()
    {
        var checker = Checker();
        checker.CallStarted();
        Feed(checker, M(Epoch1 + 5), M(Epoch1 + 6), Gap(Epoch1 + 7, Epoch1 + 9, Api.V1.Gap.Types.Reason.SubscriberTooSlow, 3), M(Epoch1 + 10));
        Assert.Empty(_violations);
        Assert.Equal((1, Epoch1 + 10), (checker.TooSlowGaps, checker.ResumePoint));
    }

    [Fact]
    public void An_owner_change_announced_once_across_epochs_is_fine()
    {
        var checker = Checker(ChannelKind.Transcripts);
        checker.CallStarted();
        Feed(checker, M(Epoch1 + 41), Gap(Epoch1 + 42, Epoch2, Api.V1.Gap.Types.Reason.OwnerChanged), M(Epoch2 + 1));
        Assert.Empty(_violations);
    }

    [Fact]
    public void A_resume_continues_after_the_last_message_or_after_a_gap_already_received()
    {
        var checker = Checker(ChannelKind.Events);
        checker.CallStarted();
        Feed(checker, M(Epoch1 + 1), M(Epoch1 + 2));
        Assert.Equal(Epoch1 + 2, checker.ResumePoint);
        checker.CallStarted();
        Feed(checker, Gap(Epoch1 + 3, Epoch1 + 4, Api.V1.Gap.Types.Reason.RetentionExceeded, 2));
        Assert.Equal(Epoch1 + 4, checker.ResumePoint);
        checker.CallStarted(); // the call ended right after the gap: the next resumes after it
        Feed(checker, M(Epoch1 + 5));
        Assert.Empty(_violations);
    }

    [Fact]
    public void The_same_gap_twice_is_one_duplicate_and_a_slow_reason_on_transcripts_is_wrong()
    {
        var checker = Checker(ChannelKind.Transcripts);
        checker.CallStarted();
        Feed(checker, M(Epoch1 + 1),
            Gap(Epoch1 + 2, Epoch1 + 4, Api.V1.Gap.Types.Reason.RetentionExceeded, 3),
            Gap(Epoch1 + 2, Epoch1 + 4, Api.V1.Gap.Types.Reason.SubscriberTooSlow, 3),
            M(Epoch1 + 5));
        Assert.Equal([ViolationKind.GapReasonWrong, ViolationKind.DuplicateGap], Kinds);
    }

    [Fact]
    public void Holes_without_a_gap_or_with_a_wrong_one_are_flagged()
    {
        var checker = Checker();
        checker.CallStarted();
        Feed(checker, M(Epoch1 + 1), M(Epoch1 + 3));                                                            // unannounced
        Feed(checker, Gap(Epoch1 + 4, Epoch1 + 5, Api.V1.Gap.Types.Reason.SubscriberTooSlow, 2), M(Epoch1 + 8));  // gap too short
        Feed(checker, Gap(Epoch1 + 9, Epoch1 + 9, Api.V1.Gap.Types.Reason.SubscriberTooSlow, 1), M(Epoch1 + 9));  // announced, then delivered
        Feed(checker, Gap(Epoch1 + 12, Epoch1 + 12, Api.V1.Gap.Types.Reason.SubscriberTooSlow), M(Epoch1 + 13));  // starts late
        Assert.Equal([ViolationKind.UnannouncedHole, ViolationKind.GapRangeWrong, ViolationKind.GapRangeWrong, ViolationKind.GapRangeWrong], Kinds);
    }

    [Fact]
    public void Duplicates_reordering_and_an_unannounced_epoch_change_are_flagged()
    {
        var checker = Checker();
        checker.CallStarted();
        Feed(checker, M(Epoch1 + 1), M(Epoch1 + 2), M(Epoch1 + 2), M(Epoch1 + 1), M(Epoch2 + 1));
        Assert.Equal([ViolationKind.DuplicateMessage, ViolationKind.OutOfOrderMessage, ViolationKind.UnannouncedHole], Kinds);
    }

    [Fact]
    public void Gap_reasons_and_counts_must_fit_the_hole()
    {
        var checker = Checker();
        checker.CallStarted();
        Feed(checker, M(Epoch1 + 1), Gap(Epoch1 + 2, Epoch1 + 2, Api.V1.Gap.Types.Reason.OwnerChanged), M(Epoch1 + 3)); // same epoch
        Feed(checker, Gap(Epoch1 + 4, Epoch2, Api.V1.Gap.Types.Reason.SubscriberTooSlow), M(Epoch2 + 1));              // across epochs
        Feed(checker, Gap(Epoch2 + 2, Epoch2 + 3, Api.V1.Gap.Types.Reason.SubscriberTooSlow, 5), M(Epoch2 + 4));       // wrong count
        Assert.Equal([ViolationKind.GapReasonWrong, ViolationKind.GapReasonWrong, ViolationKind.GapCountWrong], Kinds);
    }

    [Fact]
    public void Overlapping_and_split_gaps_and_messages_after_the_end_are_flagged()
    {
        var checker = Checker();
        checker.CallStarted();
        Feed(checker, M(Epoch1 + 1),
            Gap(Epoch1 + 2, Epoch1 + 3, Api.V1.Gap.Types.Reason.SubscriberTooSlow, 2),
            Gap(Epoch1 + 4, Epoch1 + 5, Api.V1.Gap.Types.Reason.SubscriberTooSlow, 2),
            M(Epoch1 + 6),
            Gap(Epoch1 + 5, Epoch1 + 6, Api.V1.Gap.Types.Reason.SubscriberTooSlow, 2),
            M(Epoch1 + 7),
            Observation.OfEnd(new SessionEnded()),
            M(Epoch1 + 8));
        Assert.Equal([ViolationKind.ExtraGap, ViolationKind.OverlappingGap, ViolationKind.MessageAfterSessionEnded], Kinds);
    }

    [Fact]
    public void A_first_live_call_may_start_anywhere()
    {
        var checker = Checker();
        checker.CallStarted();
        Feed(checker, M(Epoch2 + 1234), M(Epoch2 + 1235));
        Assert.Empty(_violations);
    }
}
