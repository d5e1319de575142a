using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RtmsGateway.Api.V1;
using RtmsGateway.Sessions;

namespace RtmsGateway.Tests.Sessions;

/// <summary>
/// Cluster mode on a fake clock: a reliable channel fans an item out only once the history settled it, or after the
/// bounded wait, always in order; a new subscriber's backlog + live stays exact while items are held; a backfill from the
/// history dedupes at the boundary with memory and announces each hole once.
/// </summary>
public sealed class HistoryHoldTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromMilliseconds(500);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingWriter _writer = new();

    private SessionChannel<EncodedMessage> Channel(ulong epoch = 1, TimeSpan? wait = null) =>
        new(reliable: true, 64, 10, ReplayLimits.WholeLife(1024 * 1024, null), epoch, _time, "transcripts", sizeOf: static m => m.Bytes.Length,
            persistence: new ChannelPersistence<EncodedMessage>(_writer, "stream", wait ?? Wait, static m => m.Bytes));

    private static ulong Publish(SessionChannel<EncodedMessage> channel, string user = "7") =>
        channel.Publish(user, 0, static (sequence, _) => EncodedMessage.FromEncoded(BitConverter.GetBytes(sequence)));

    private static List<ulong> Drain(ChannelSubscription<EncodedMessage> subscription)
    {
        var items = new List<ulong>();
        while (subscription.Reader.TryRead(out var item))
        {
            items.Add(item.Sequence);
        }
        return items;
    }

    [Fact]
    public void An_item_is_fanned_out_once_the_history_settled_it_in_order()
    {
        var channel = Channel();
        using var live = channel.Subscribe(SubscribeStart.Live);
        var one = Publish(channel);
        var two = Publish(channel);
        Assert.Empty(Drain(live));
        Assert.Equal([one, two], _writer.Appended.Select(a => a.Sequence));
        Assert.Equal(BitConverter.GetBytes(one), _writer.Appended[0].Bytes);

        channel.Settled(one);
        Assert.Equal([one], Drain(live));
        channel.Settled(two);
        Assert.Equal([two], Drain(live));
        Assert.Equal(0, channel.UnconfirmedReleases);
    }

    [Fact]
    public void Without_an_acknowledgement_items_flow_after_the_bounded_wait_oldest_first()
    {
        var channel = Channel();
        using var live = channel.Subscribe(SubscribeStart.Live);
        var one = Publish(channel);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        var two = Publish(channel);
        _time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.Empty(Drain(live));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([one], Drain(live));
        _time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal([two], Drain(live));
        Assert.Equal(2, channel.UnconfirmedReleases);
        // A late acknowledgement changes nothing.
        channel.Settled(two);
        Assert.Empty(Drain(live));
    }

    [Fact]
    public void A_refused_append_is_not_waited_for_and_what_is_held_before_it_flows_with_it()
    {
        var channel = Channel();
        using var live = channel.Subscribe(SubscribeStart.Live);
        var one = Publish(channel);
        _writer.Refuse = true;
        var two = Publish(channel);
        Assert.Equal([one, two], Drain(live));
    }

    [Fact]
    public void Write_behind_still_stores_every_item_and_fans_it_out_at_once()
    {
        var channel = Channel(wait: TimeSpan.Zero);
        using var live = channel.Subscribe(SubscribeStart.Live);
        var one = Publish(channel);
        Assert.Equal([one], Drain(live));
        Assert.Equal([one], _writer.Appended.Select(a => a.Sequence));
    }

    [Fact]
    public void A_subscriber_joining_while_items_are_held_gets_them_live_exactly_once()
    {
        var channel = Channel();
        var one = Publish(channel);
        channel.Settled(one);
        var two = Publish(channel);
        using var late = channel.Subscribe(new SubscribeStart(false, one - 1));
        Assert.Equal([one], late.Backlog.Select(i => i.Sequence));
        Assert.Null(late.InitialGap);
        Assert.Equal(two, late.NextLive);
        channel.Settled(two);
        Assert.Equal([two], Drain(late));
    }

    [Fact]
    public void The_session_ending_releases_everything_held_before_it_completes()
    {
        var channel = Channel();
        using var live = channel.Subscribe(SubscribeStart.Live);
        var one = Publish(channel);
        channel.Complete(new SessionEnded());
        Assert.Equal([one], Drain(live));
        Assert.NotNull(live.Ended);
    }

    [Fact]
    public async Task A_new_owner_serves_the_history_of_the_earlier_epoch_then_memory_with_one_owner_changed_gap()
    {
        var channel = Channel(epoch: 2, wait: TimeSpan.Zero);
        var first = Publish(channel);
        var second = Publish(channel);
        // Epoch 1 stored 1..5; the reader had 2; memory of epoch 2 also in the history (the boundary must not double it).
        var reader = new StoredHistory([.. Enumerable.Range(1, 5).Select(n => Sequences.First(1) - 1 + (ulong)n), first]);
        var backfill = new HistoryBackfill(new HistoryPersistence(_writer, reader, TimeSpan.Zero, TimeSpan.FromSeconds(1)), _time, NullLogger<HistoryBackfill>.Instance);
        using var subscription = channel.Subscribe(new SubscribeStart(false, Sequences.First(1) + 1));
        Assert.True(HistoryBackfill.Needed(channel, subscription));

        var entries = new List<BacklogEntry<EncodedMessage>>();
        await foreach (var entry in backfill.EntriesAsync("stream", "transcripts", subscription, CancellationToken.None))
        {
            entries.Add(entry);
        }
        var delivered = entries.Where(e => e.Gap is null).Select(e => e.Item.Sequence).ToList();
        Assert.Equal([Sequences.First(1) + 2, Sequences.First(1) + 3, Sequences.First(1) + 4, first, second], delivered);
        var gap = Assert.Single(entries, e => e.Gap is not null).Gap!;
        Assert.Equal((Sequences.First(1) + 5, first - 1, Gap.Types.Reason.OwnerChanged), (gap.FirstMissingSequence, gap.LastMissingSequence, gap.Reason));
        Assert.Same(gap, entries[3].Gap);
        Assert.Equal((Sequences.First(1) + 1, first), (reader.LastAfter, reader.LastBefore));
    }

    [Fact]
    public async Task An_unreachable_history_serves_memory_and_announces_the_rest_as_one_gap()
    {
        var channel = Channel(epoch: 2, wait: TimeSpan.Zero);
        var first = Publish(channel);
        var backfill = new HistoryBackfill(new HistoryPersistence(_writer, new StoredHistory([], unreachable: true), TimeSpan.Zero, TimeSpan.FromSeconds(1)), _time, NullLogger<HistoryBackfill>.Instance);
        using var subscription = channel.Subscribe(new SubscribeStart(true, null));
        var entries = new List<BacklogEntry<EncodedMessage>>();
        await foreach (var entry in backfill.EntriesAsync("stream", "transcripts", subscription, CancellationToken.None))
        {
            entries.Add(entry);
        }
        Assert.Equal(2, entries.Count);
        Assert.Equal((1ul, first - 1, Gap.Types.Reason.OwnerChanged), (entries[0].Gap!.FirstMissingSequence, entries[0].Gap!.LastMissingSequence, entries[0].Gap!.Reason));
        Assert.Equal(first, entries[1].Item.Sequence);
    }

    [Fact]
    public void Transcripts_are_kept_beyond_the_media_retention_and_the_byte_bound_drops_exactly_the_oldest()
    {
        var options = new RtmsGateway.Configuration.FanoutOptions { ReplayRetention = TimeSpan.FromSeconds(1), HistoryMaxBytesPerSession = 64 * 1024 };
        var record = new RtmsGateway.Ownership.SessionRecord { StreamId = "s", InstanceId = "i", SignalingUrl = "wss://example.invalid", AcceptedAt = _time.GetUtcNow() };
        var hub = new SessionHub(record, 1, "replica", options, _time);
        var segment = new string('x', 1000);
        for (var i = 0; i < 10; i++)
        {
            Publish(hub.Transcripts);
            _time.Advance(TimeSpan.FromMinutes(10));
        }
        hub.EvictExpired();
        using var all = hub.Transcripts.Subscribe(new SubscribeStart(true, null));
        Assert.Null(all.InitialGap);
        Assert.Equal(10, all.Backlog.Count);

        // 32 KiB for transcripts: 1 KiB messages, so the oldest go once 32 are held.
        for (var i = 0; i < 40; i++)
        {
            hub.Transcripts.Publish("7", segment, static (sequence, s) => EncodedMessage.FromEncoded(new byte[1024]));
        }
        using var fromStart = hub.Transcripts.Subscribe(new SubscribeStart(true, null));
        var gap = fromStart.InitialGap!;
        Assert.Equal(Gap.Types.Reason.RetentionExceeded, gap.Reason);
        Assert.Equal(fromStart.Backlog[0].Sequence, gap.LastMissingSequence + 1);
        Assert.Equal(50ul - (ulong)fromStart.Backlog.Count, gap.MissedCount);
        Assert.True(hub.Transcripts.RetainedBytes <= 32 * 1024);
        Assert.Equal(Sequences.First(1) + 49, fromStart.Backlog[^1].Sequence);
    }

    /// <summary>Records what a channel hands to the history; refuses on demand (a full pending bound).</summary>
    private sealed class RecordingWriter : IHistoryWriter
    {
        public List<HistoryAppend> Appended { get; } = [];

        public bool Refuse { get; set; }

        public bool Append(HistoryAppend append)
        {
            if (Refuse)
            {
                return false;
            }
            Appended.Add(append);
            return true;
        }

        public void Ended(string streamId, IReadOnlyList<string> channels, bool revoked)
        {
        }
    }

    /// <summary>A history holding the given sequences (in memory), or one that cannot be reached.</summary>
    private sealed class StoredHistory(IReadOnlyList<ulong> stored, bool unreachable = false) : IHistoryReader
    {
        public ulong LastAfter { get; private set; }

        public ulong LastBefore { get; private set; }

        public async IAsyncEnumerable<IReadOnlyList<ChannelItem<EncodedMessage>>> ReadAsync(string streamId, string channel, ulong after, ulong before,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            (LastAfter, LastBefore) = (after, before);
            await Task.Yield();
            if (unreachable)
            {
                throw new RtmsGateway.Ownership.OwnershipStoreUnavailableException("down");
            }
            // Two pages, to cross a page boundary.
            var matching = stored.Where(s => s > after && s < before).Select(s => new ChannelItem<EncodedMessage>(s, "7", EncodedMessage.FromEncoded([]), 0)).ToList();
            yield return matching.Take(2).ToList();
            yield return matching.Skip(2).ToList();
        }
    }
}
