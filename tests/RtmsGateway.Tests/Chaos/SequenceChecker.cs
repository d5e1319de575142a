using RtmsGateway.Api.V1;
using RtmsGateway.Sessions;

namespace RtmsGateway.Tests.Chaos;

/// <summary>
/// The per-channel promise of one subscriber, checked message by message across its calls (resumes included):
/// sequences strictly increase; a hole is announced by exactly one <see cref="Gap"/> immediately before it whose range
/// is exactly [last + 1, next − 1], whose reason fits (SUBSCRIBER_TOO_SLOW only on media and within one owner epoch,
/// OWNER_CHANGED only across epochs) and whose count, when given, is the range's size; nothing follows SessionEnded.
/// Knows nothing about the gateway's internals: only what the API documents.
/// </summary>
internal sealed class SequenceChecker(ChannelKind channel, string who, Action<ViolationKind, string> violation)
{
    /// <summary>The last message's sequence (0 before the first).</summary>
    public ulong LastMessage { get; private set; }

    /// <summary>A gap received since the last message, waiting for the message after the hole.</summary>
    public Gap? PendingGap { get; private set; }

    /// <summary>The session ended (SessionEnded received on the current call).</summary>
    public bool Ended { get; private set; }

    /// <summary>Where a new call resumes: after the last message, or after the end of a gap announced since.</summary>
    public ulong ResumePoint => Math.Max(LastMessage, PendingGap?.LastMissingSequence ?? 0);

    /// <summary>The position messages are checked against (0: none known, e.g. a first live call).</summary>
    private ulong _position;

    /// <summary>Whether the pending gap was already reported as doubled (so its hole is not reported again).</summary>
    private bool _pendingFlagged;

    public int Gaps { get; private set; }

    public int TooSlowGaps { get; private set; }

    /// <summary>A new call starts: after <see cref="ResumePoint"/> when it is known (the call asks for
    /// resume_after_sequence = that), live otherwise.</summary>
    public void CallStarted()
    {
        _position = ResumePoint;
        if (PendingGap is { } gap)
        {
            // The client processed the gap notice: the next call resumes after it, so that hole is accounted for.
            LastMessage = Math.Max(LastMessage, gap.LastMissingSequence);
            PendingGap = null;
            _pendingFlagged = false;
        }
        Ended = false;
    }

    public void Observe(Observation observation)
    {
        switch (observation.Kind)
        {
            case ObservationKind.Message:
                OnMessage(observation.Sequence);
                break;
            case ObservationKind.Gap:
                OnGap(observation.Gap!);
                break;
            case ObservationKind.Ended:
                if (Ended)
                {
                    Report(ViolationKind.MessageAfterSessionEnded, "a second SessionEnded");
                }
                Ended = true;
                break;
            default:
                Report(ViolationKind.UnknownResponse, "a response with no message, gap or end set");
                break;
        }
    }

    private void OnGap(Gap gap)
    {
        Gaps++;
        if (gap.Reason == Gap.Types.Reason.SubscriberTooSlow)
        {
            TooSlowGaps++;
        }
        var range = Describe(gap);
        if (Ended)
        {
            Report(ViolationKind.MessageAfterSessionEnded, $"gap {range} after SessionEnded");
        }
        if (channel != ChannelKind.Audio && gap.Reason == Gap.Types.Reason.SubscriberTooSlow)
        {
            Report(ViolationKind.GapReasonWrong, $"gap {range} on {channel}: SUBSCRIBER_TOO_SLOW never applies to transcripts/events");
        }
        if (gap.FirstMissingSequence == 0 || gap.LastMissingSequence < gap.FirstMissingSequence)
        {
            Report(ViolationKind.GapRangeWrong, $"gap {range} is empty or inverted");
        }
        if (PendingGap is { } pending)
        {
            var kind = pending.FirstMissingSequence == gap.FirstMissingSequence && pending.LastMissingSequence == gap.LastMissingSequence
                ? ViolationKind.DuplicateGap
                : gap.FirstMissingSequence <= pending.LastMissingSequence && pending.FirstMissingSequence <= gap.LastMissingSequence
                    ? ViolationKind.OverlappingGap
                    : ViolationKind.ExtraGap;
            Report(kind, $"gap {range} right after gap {Describe(pending)} (no message between)");
            // Check the next message against what both announced, so one doubled notice is one violation.
            PendingGap = new Gap
            {
                FirstMissingSequence = Math.Min(pending.FirstMissingSequence, gap.FirstMissingSequence),
                LastMissingSequence = Math.Max(pending.LastMissingSequence, gap.LastMissingSequence),
                Reason = pending.Reason,
            };
            _pendingFlagged = true;
            return;
        }
        PendingGap = gap;
        _pendingFlagged = false;
        if (_position != 0 && gap.FirstMissingSequence != _position + 1)
        {
            Report(
                gap.FirstMissingSequence <= _position ? ViolationKind.OverlappingGap : ViolationKind.GapRangeWrong,
                $"gap {range} does not start right after the last delivered position {_position}");
            _pendingFlagged = true;
        }
    }

    private void OnMessage(ulong sequence)
    {
        if (Ended)
        {
            Report(ViolationKind.MessageAfterSessionEnded, $"message {sequence} after SessionEnded");
        }
        var gap = PendingGap;
        PendingGap = null;
        if (_position != 0 && sequence <= _position)
        {
            Report(
                sequence == _position ? ViolationKind.DuplicateMessage : ViolationKind.OutOfOrderMessage,
                $"message {sequence} after {_position}{(gap is null ? string.Empty : $" and gap {Describe(gap)}")}");
            // Keep the higher position: one reordering is one violation, not one per later message.
            return;
        }
        if (gap is not null)
        {
            CheckAnnouncedHole(gap, sequence);
        }
        else if (_position != 0 && sequence > _position + 1)
        {
            var epochs = Sequences.EpochOf(sequence) != Sequences.EpochOf(_position) ? $" (owner epoch {Sequences.EpochOf(_position)} -> {Sequences.EpochOf(sequence)})" : string.Empty;
            Report(ViolationKind.UnannouncedHole, $"message {sequence} after {_position}: [{_position + 1}, {sequence - 1}] missing without a gap{epochs}");
        }
        _position = sequence;
        LastMessage = sequence;
        _pendingFlagged = false;
    }

    /// <summary>The message after a gap: the gap must have announced exactly the hole before it.</summary>
    private void CheckAnnouncedHole(Gap gap, ulong sequence)
    {
        if (_pendingFlagged)
        {
            return; // already reported as a doubled notice
        }
        var range = Describe(gap);
        if (sequence <= gap.LastMissingSequence)
        {
            Report(ViolationKind.GapRangeWrong, $"message {sequence} was announced missing by gap {range}");
            return;
        }
        if (_position != 0 && sequence == _position + 1)
        {
            Report(ViolationKind.GapWithoutHole, $"gap {range} before message {sequence}, which follows {_position}: nothing was missing");
            return;
        }
        if (sequence != gap.LastMissingSequence + 1)
        {
            Report(ViolationKind.GapRangeWrong, $"gap {range} but the next message is {sequence}: [{gap.LastMissingSequence + 1}, {sequence - 1}] missing without a gap");
            return;
        }
        var from = _position != 0 ? _position : gap.FirstMissingSequence - 1;
        var crossesEpochs = Sequences.EpochOf(from) != Sequences.EpochOf(sequence);
        if (gap.Reason == Gap.Types.Reason.SubscriberTooSlow && crossesEpochs)
        {
            Report(ViolationKind.GapReasonWrong, $"gap {range} crosses owner epochs but says SUBSCRIBER_TOO_SLOW");
        }
        else if (gap.Reason == Gap.Types.Reason.OwnerChanged && !crossesEpochs)
        {
            Report(ViolationKind.GapReasonWrong, $"gap {range} says OWNER_CHANGED but the owner epoch did not change");
        }
        else if (gap.Reason == Gap.Types.Reason.Unspecified)
        {
            Report(ViolationKind.GapReasonWrong, $"gap {range} has no reason");
        }
        var size = gap.LastMissingSequence - gap.FirstMissingSequence + 1;
        if (!crossesEpochs && gap.MissedCount != 0 && gap.MissedCount != size)
        {
            Report(ViolationKind.GapCountWrong, $"gap {range} says {gap.MissedCount} missed, the range holds {size}");
        }
    }

    private void Report(ViolationKind kind, string detail) => violation(kind, $"{who}: {detail}");

    private static string Describe(Gap gap) =>
        $"[{gap.FirstMissingSequence}, {gap.LastMissingSequence}] {gap.Reason} count {gap.MissedCount}";
}
