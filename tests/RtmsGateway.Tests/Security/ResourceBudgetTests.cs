using RtmsGateway.Protocol.Webhooks;
using RtmsGateway.Sessions;
using RtmsGateway.Tests.Infrastructure;
using RtmsGateway.Webhooks;

namespace RtmsGateway.Tests.Security;

/// <summary>
/// Finding F3 and F10: what an outsider can make the gateway hold is bounded in bytes and entries, and freed on a timer,
/// not only when the next message happens to arrive.
/// </summary>
public sealed class ResourceBudgetTests
{
    private readonly ManualTimeProvider _time = new();

    private ChannelItem<string> Item(ulong sequence, int bytes) => new(sequence, "0", new string('x', bytes), _time.GetTimestamp());

    [Fact]
    public void A_replay_buffer_holds_at_most_its_bytes_whatever_the_message_count_allows()
    {
        var buffer = new ReplayBuffer<string>(new ReplayLimits(4096, TimeSpan.FromSeconds(30), MaxBytes: 10_000), _time, s => s.Length);
        for (var sequence = 1UL; sequence <= 100; sequence++)
        {
            buffer.Add(Item(sequence, 3_000));
            Assert.True(buffer.Bytes <= 10_000 || buffer.Count == 1);
        }
        Assert.Equal([98ul, 99, 100], buffer.After(0).Select(i => i.Sequence));
    }

    [Fact]
    public void A_message_larger_than_the_budget_is_still_kept_alone_so_live_readers_lose_nothing()
    {
        var buffer = new ReplayBuffer<string>(new ReplayLimits(4096, TimeSpan.FromSeconds(30), MaxBytes: 1_000), _time, s => s.Length);
        buffer.Add(Item(1, 500));
        buffer.Add(Item(2, 5_000));
        Assert.Equal([2ul], buffer.After(0).Select(i => i.Sequence));
    }

    [Fact]
    public void The_replica_budget_makes_the_channel_that_adds_evict_its_own_oldest()
    {
        var account = new ReplayAccount(20_000);
        var quiet = new ReplayBuffer<string>(new ReplayLimits(4096, TimeSpan.FromSeconds(30), Account: account), _time, s => s.Length);
        var flooding = new ReplayBuffer<string>(new ReplayLimits(4096, TimeSpan.FromSeconds(30), Account: account), _time, s => s.Length);
        quiet.Add(Item(1, 5_000));
        for (var sequence = 1UL; sequence <= 1000; sequence++)
        {
            flooding.Add(Item(sequence, 4_000));
            Assert.True(account.Bytes <= 20_000 + 4_000);
        }
        Assert.Equal(1, quiet.Count);
        Assert.True(flooding.Count <= 4);
        quiet.Clear();
        flooding.Clear();
        Assert.Equal(0, account.Bytes);
    }

    [Fact]
    public void A_quiet_buffer_frees_aged_messages_when_the_timer_sweeps_it()
    {
        var account = new ReplayAccount(long.MaxValue);
        var buffer = new ReplayBuffer<string>(new ReplayLimits(4096, TimeSpan.FromSeconds(30), Account: account), _time, s => s.Length);
        for (var sequence = 1UL; sequence <= 100; sequence++)
        {
            buffer.Add(Item(sequence, 1_000));
        }
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(100_000, account.Bytes);
        buffer.EvictExpired();
        Assert.Equal(0, buffer.Count);
        Assert.Equal(0, account.Bytes);
        Assert.Equal(0, buffer.Slots);
    }

    [Fact]
    public void The_webhook_deduplicator_remembers_at_most_its_capacity_oldest_forgotten_first()
    {
        var deduplicator = new WebhookDeduplicator(_time, capacity: 1000);
        ZoomWebhookEvent Started(int i) => new() { Event = "meeting.rtms_started", Kind = WebhookEventKind.RtmsStarted, RtmsStreamId = $"s{i}", EventTimestamp = i };
        for (var i = 0; i < 5000; i++)
        {
            Assert.True(deduplicator.FirstTime(Started(i)));
        }
        Assert.Equal(1000, deduplicator.Count);
        Assert.False(deduplicator.FirstTime(Started(4999)));
        Assert.True(deduplicator.FirstTime(Started(0)));
        _time.Advance(WebhookDeduplicator.Memory + TimeSpan.FromSeconds(1));
        Assert.True(deduplicator.FirstTime(Started(4999)));
        Assert.Equal(1, deduplicator.Count);
    }

    [Fact]
    public void A_stream_over_its_inbound_budget_is_told_to_wait_exactly_as_long_as_the_budget_requires()
    {
        var rate = new Rtms.InboundRate(100, _time);
        // A full bucket: the first second's worth is read at once.
        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(TimeSpan.Zero, rate.Take()));
        // Then each message waits its share: 10 ms apiece at 100/s.
        Assert.Equal(TimeSpan.FromMilliseconds(10), rate.Take());
        Assert.Equal(TimeSpan.FromMilliseconds(20), rate.Take());
        // Time refills the bucket, never beyond one second's worth.
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(TimeSpan.Zero, rate.Take()));
        Assert.True(rate.Take() > TimeSpan.Zero);
    }
}
