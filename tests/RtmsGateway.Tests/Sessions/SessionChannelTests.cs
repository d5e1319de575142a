using RtmsGateway.Api.V1;
using RtmsGateway.Sessions;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.Sessions;

public sealed class SessionChannelTests
{
    private readonly ManualTimeProvider _time = new();

    private SessionChannel<string> Channel(bool reliable, int queue = 8, int replay = 100, int maxSubscribers = 10, ulong epoch = 1) =>
        new(reliable, queue, maxSubscribers, new ReplayLimits(replay, TimeSpan.FromSeconds(30)), epoch, _time);

    private static ulong Publish(SessionChannel<string> channel, string text, string user = "0") =>
        channel.Publish(user, text, static (sequence, t) => $"{sequence}:{t}");

    private static List<ChannelItem<string>> Drain(ChannelSubscription<string> subscription)
    {
        var items = new List<ChannelItem<string>>();
        while (subscription.Reader.TryRead(out var item))
        {
            items.Add(item);
        }
        return items;
    }

    [Fact]
    public void Sequences_start_at_the_epoch_base_and_are_consecutive()
    {
        var channel = Channel(reliable: true, epoch: 3);
        var first = Publish(channel, "a");
        var second = Publish(channel, "b");
        Assert.Equal(3 * Sequences.EpochStride + 1, first);
        Assert.Equal(first + 1, second);
        Assert.Equal(3ul, Sequences.EpochOf(second));
    }

    [Fact]
    public void Every_subscriber_receives_the_same_shared_response_in_order()
    {
        var channel = Channel(reliable: true);
        using var one = channel.Subscribe(SubscribeStart.Live);
        using var two = channel.Subscribe(SubscribeStart.Live);
        Publish(channel, "a");
        Publish(channel, "b");
        var fromOne = Drain(one);
        var fromTwo = Drain(two);
        Assert.Equal(["a", "b"], fromOne.Select(i => i.Response.Split(':')[1]));
        Assert.Same(fromOne[0].Response, fromTwo[0].Response);
    }

    [Fact]
    public void A_full_media_queue_drops_the_oldest_and_never_blocks_the_publisher()
    {
        var channel = Channel(reliable: false, queue: 4);
        using var slow = channel.Subscribe(SubscribeStart.Live);
        using var fast = channel.Subscribe(SubscribeStart.Live);
        var published = new List<ulong>();
        for (var i = 0; i < 10; i++)
        {
            published.Add(Publish(channel, $"f{i}"));
            Drain(fast).ForEach(item => Assert.Equal(published[^1], item.Sequence));
        }
        var kept = Drain(slow);
        Assert.Equal(published[^4..], kept.Select(i => i.Sequence));
        Assert.Equal(6, slow.Dropped);
    }

    [Fact]
    public void A_full_reliable_queue_ends_that_subscriber_only()
    {
        var channel = Channel(reliable: true, queue: 4);
        using var slow = channel.Subscribe(SubscribeStart.Live);
        using var fast = channel.Subscribe(SubscribeStart.Live);
        var fastSeen = 0;
        for (var i = 0; i < 6; i++)
        {
            Publish(channel, $"t{i}");
            fastSeen += Drain(fast).Count;
        }
        Assert.Equal(6, fastSeen);
        Assert.Equal(1, channel.Overflows);
        Assert.Equal(4, Drain(slow).Count);
        Assert.True(slow.Reader.Completion.IsFaulted);
        Assert.IsType<SubscriberOverflowException>(slow.Reader.Completion.Exception!.InnerException);
    }

    [Fact]
    public void Resume_delivers_exactly_what_followed_the_resume_point()
    {
        var channel = Channel(reliable: true);
        var sequences = Enumerable.Range(0, 5).Select(i => Publish(channel, $"m{i}")).ToList();
        using var resumed = channel.Subscribe(new SubscribeStart(false, sequences[1]));
        Assert.Null(resumed.InitialGap);
        Assert.Equal(sequences[2..], resumed.Backlog.Select(i => i.Sequence));
        var next = Publish(channel, "live");
        Assert.Equal([next], Drain(resumed).Select(i => i.Sequence));
    }

    [Fact]
    public void From_start_replays_everything_retained()
    {
        var channel = Channel(reliable: true);
        var sequences = Enumerable.Range(0, 3).Select(i => Publish(channel, $"m{i}")).ToList();
        using var subscription = channel.Subscribe(new SubscribeStart(true, null));
        Assert.Equal(sequences, subscription.Backlog.Select(i => i.Sequence));
    }

    [Fact]
    public void A_resume_point_older_than_the_buffer_is_announced_as_a_gap()
    {
        var channel = Channel(reliable: true, replay: 3);
        var sequences = Enumerable.Range(0, 6).Select(i => Publish(channel, $"m{i}")).ToList();
        using var resumed = channel.Subscribe(new SubscribeStart(false, sequences[0]));
        Assert.NotNull(resumed.InitialGap);
        Assert.Equal(Gap.Types.Reason.RetentionExceeded, resumed.InitialGap!.Reason);
        Assert.Equal(sequences[1], resumed.InitialGap.FirstMissingSequence);
        Assert.Equal(sequences[2], resumed.InitialGap.LastMissingSequence);
        Assert.Equal(2ul, resumed.InitialGap.MissedCount);
        Assert.Equal(sequences[3..], resumed.Backlog.Select(i => i.Sequence));
    }

    [Fact]
    public void Messages_older_than_the_retention_leave_the_replay_buffer()
    {
        var channel = Channel(reliable: true);
        Publish(channel, "old");
        _time.Advance(TimeSpan.FromSeconds(31));
        var fresh = Publish(channel, "fresh");
        using var subscription = channel.Subscribe(new SubscribeStart(true, null));
        Assert.Equal([fresh], subscription.Backlog.Select(i => i.Sequence));
    }

    [Fact]
    public void A_resume_point_from_an_earlier_owner_is_announced_as_an_owner_change()
    {
        var channel = Channel(reliable: true, epoch: 2);
        var first = Publish(channel, "new owner");
        using var resumed = channel.Subscribe(new SubscribeStart(false, Sequences.First(1) + 41));
        Assert.Equal(Gap.Types.Reason.OwnerChanged, resumed.InitialGap!.Reason);
        Assert.Equal(Sequences.First(1) + 42, resumed.InitialGap.FirstMissingSequence);
        Assert.Equal(first - 1, resumed.InitialGap.LastMissingSequence);
        Assert.Equal(0ul, resumed.InitialGap.MissedCount);
        Assert.Equal([first], resumed.Backlog.Select(i => i.Sequence));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void An_old_resume_point_of_the_same_epoch_that_is_still_retained_needs_no_gap(int resumeIndex)
    {
        var channel = Channel(reliable: true);
        var sequences = Enumerable.Range(0, 4).Select(i => Publish(channel, $"m{i}")).ToList();
        using var resumed = channel.Subscribe(new SubscribeStart(false, sequences[resumeIndex]));
        Assert.Null(resumed.InitialGap);
        Assert.Equal(sequences[(resumeIndex + 1)..], resumed.Backlog.Select(i => i.Sequence));
    }

    [Fact]
    public void Resuming_after_zero_on_the_first_epoch_replays_everything_without_a_gap()
    {
        var channel = Channel(reliable: true);
        var sequences = Enumerable.Range(0, 3).Select(i => Publish(channel, $"m{i}")).ToList();
        using var resumed = channel.Subscribe(new SubscribeStart(false, 0));
        Assert.Null(resumed.InitialGap);
        Assert.Equal(sequences, resumed.Backlog.Select(i => i.Sequence));
    }

    [Fact]
    public void Resuming_after_zero_once_the_first_messages_were_evicted_announces_exactly_those()
    {
        var channel = Channel(reliable: true, replay: 2);
        var sequences = Enumerable.Range(0, 5).Select(i => Publish(channel, $"m{i}")).ToList();
        using var resumed = channel.Subscribe(new SubscribeStart(false, 0));
        var gap = resumed.InitialGap!;
        Assert.Equal(Gap.Types.Reason.RetentionExceeded, gap.Reason);
        Assert.Equal(1ul, gap.FirstMissingSequence);
        Assert.Equal(sequences[2], gap.LastMissingSequence);
        Assert.Equal(3ul, gap.MissedCount);
        Assert.Equal(sequences[3..], resumed.Backlog.Select(i => i.Sequence));
    }

    [Fact]
    public void Resuming_after_zero_on_a_later_epoch_announces_the_earlier_owners_messages_once()
    {
        var channel = Channel(reliable: true, epoch: 3);
        var first = Publish(channel, "m");
        using var resumed = channel.Subscribe(new SubscribeStart(false, 0));
        Assert.Equal(Gap.Types.Reason.OwnerChanged, resumed.InitialGap!.Reason);
        Assert.Equal(1ul, resumed.InitialGap.FirstMissingSequence);
        Assert.Equal(first - 1, resumed.InitialGap.LastMissingSequence);
    }

    [Fact]
    public void A_resume_point_with_no_epoch_is_refused_as_invalid()
    {
        var channel = Channel(reliable: true);
        Publish(channel, "m");
        var refused = Assert.Throws<SubscriptionRefusedException>(() => channel.Subscribe(new SubscribeStart(false, 5)));
        Assert.Equal(SubscriptionRefusal.InvalidResumePoint, refused.Refusal);
        Assert.Equal(0, channel.SubscriberCount);
    }

    [Fact]
    public void A_resume_point_after_the_last_message_or_from_a_later_epoch_is_refused_as_out_of_range()
    {
        var channel = Channel(reliable: true, epoch: 2);
        var last = Publish(channel, "m");
        foreach (var future in new[] { last + 1, Sequences.First(3) })
        {
            var refused = Assert.Throws<SubscriptionRefusedException>(() => channel.Subscribe(new SubscribeStart(false, future)));
            Assert.Equal(SubscriptionRefusal.FutureResumePoint, refused.Refusal);
        }
        using var atTheEnd = channel.Subscribe(new SubscribeStart(false, last));
        Assert.Null(atTheEnd.InitialGap);
        Assert.Empty(atTheEnd.Backlog);
    }

    [Fact]
    public void A_resume_point_whose_messages_all_aged_out_is_one_gap_up_to_the_last_published()
    {
        var channel = Channel(reliable: true);
        var sequences = Enumerable.Range(0, 4).Select(i => Publish(channel, $"m{i}")).ToList();
        _time.Advance(TimeSpan.FromSeconds(31));
        using var resumed = channel.Subscribe(new SubscribeStart(false, sequences[0]));
        Assert.Empty(resumed.Backlog);
        Assert.Equal(sequences[1], resumed.InitialGap!.FirstMissingSequence);
        Assert.Equal(sequences[3], resumed.InitialGap.LastMissingSequence);
        Assert.Equal(3ul, resumed.InitialGap.MissedCount);
        var next = Publish(channel, "live");
        Assert.Equal([next], Drain(resumed).Select(i => i.Sequence));
    }

    [Fact]
    public void Completion_reaches_current_and_later_subscribers()
    {
        var channel = Channel(reliable: true);
        using var before = channel.Subscribe(SubscribeStart.Live);
        Publish(channel, "last words");
        channel.Complete(new SessionEnded { StopReason = ZoomStopReason.MeetingEnded });
        Assert.Equal(0ul, Publish(channel, "after the end"));
        Assert.Single(Drain(before));
        Assert.Equal(ZoomStopReason.MeetingEnded, before.Ended!.StopReason);
        Assert.True(before.Reader.Completion.IsCompletedSuccessfully);

        using var late = channel.Subscribe(new SubscribeStart(true, null));
        Assert.Single(late.Backlog);
        Assert.Equal(ZoomStopReason.MeetingEnded, late.Ended!.StopReason);
    }

    [Fact]
    public void The_subscriber_limit_is_enforced_and_freed_on_dispose()
    {
        var channel = Channel(reliable: false, maxSubscribers: 1);
        var first = channel.Subscribe(SubscribeStart.Live);
        var refused = Assert.Throws<SubscriptionRefusedException>(() => channel.Subscribe(SubscribeStart.Live));
        Assert.Equal(SubscriptionRefusal.SubscriberLimit, refused.Refusal);
        first.Dispose();
        using var second = channel.Subscribe(SubscribeStart.Live);
        Assert.Equal(1, channel.SubscriberCount);
    }
}
