using System.Runtime.CompilerServices;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;

namespace RtmsGateway.Sessions;

/// <summary>
/// Assembles a subscriber's backlog on a channel with a cluster history: the stored items of every earlier epoch (and of
/// this one, where this replica's memory no longer has them) that come after the resume point and before what this replica
/// retains, then the retained items, then the gap before live delivery, each hole announced once by a
/// <see cref="BacklogCursor"/>. Duplicates at the boundary between history and memory are skipped by sequence.
/// <para>
/// The store is read a page at a time, each page within <see cref="HistoryPersistence.ReadTimeout"/>. When it cannot be
/// reached the reader is served what this replica holds and the rest is announced as a Gap (RETENTION_EXCEEDED within an
/// epoch, OWNER_CHANGED across one): transcripts keep flowing during an outage, and nothing is missing silently.
/// </para>
/// </summary>
internal sealed partial class HistoryBackfill(HistoryPersistence persistence, TimeProvider time, ILogger<HistoryBackfill> logger)
{
    /// <summary>Whether <paramref name="subscription"/> asked for something this replica does not hold, which the history may have.</summary>
    public static bool Needed(SessionChannel<EncodedMessage> channel, ChannelSubscription<EncodedMessage> subscription) =>
        channel.HasHistory && subscription.InitialGap is not null;

    /// <summary>The backlog of a subscription served from this replica alone: its gap, then its retained items.</summary>
    public static IEnumerable<BacklogEntry<T>> Local<T>(ChannelSubscription<T> subscription)
    {
        if (subscription.InitialGap is { } gap)
        {
            yield return BacklogEntry<T>.Of(gap);
        }
        foreach (var item in subscription.Backlog)
        {
            yield return BacklogEntry<T>.Of(item);
        }
    }

    public async IAsyncEnumerable<BacklogEntry<EncodedMessage>> EntriesAsync(
        string streamId, string channel, ChannelSubscription<EncodedMessage> subscription, [EnumeratorCancellation] CancellationToken ct)
    {
        var cursor = new BacklogCursor(subscription.After);
        var local = subscription.Backlog;
        var before = local.Count > 0 ? local[0].Sequence : subscription.NextLive;
        using var pageTimeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var read = CancellationTokenSource.CreateLinkedTokenSource(ct, pageTimeout.Token);
        var pages = persistence.Reader.ReadAsync(streamId, channel, subscription.After, before, read.Token).GetAsyncEnumerator(read.Token);
        try
        {
            while (true)
            {
                IReadOnlyList<ChannelItem<EncodedMessage>>? page = null;
                pageTimeout.CancelAfter(persistence.ReadTimeout);
                try
                {
                    if (await pages.MoveNextAsync())
                    {
                        page = pages.Current;
                    }
                }
                catch (Exception ex) when (ex is OwnershipStoreUnavailableException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
                {
                    // Served from memory; what the store had is announced as a gap (the reader can resume for it later).
                    LogHistoryUnavailable(streamId, channel, cursor.Position, ex.Message);
                }
                if (page is null)
                {
                    break;
                }
                pageTimeout.CancelAfter(Timeout.InfiniteTimeSpan);
                foreach (var item in page)
                {
                    if (item.Sequence < before && cursor.TryAdvance(item.Sequence, out var gap))
                    {
                        if (gap is not null)
                        {
                            yield return BacklogEntry<EncodedMessage>.Of(gap);
                        }
                        yield return BacklogEntry<EncodedMessage>.Of(item);
                    }
                }
            }
        }
        finally
        {
            await pages.DisposeAsync();
        }
        foreach (var item in local)
        {
            if (cursor.TryAdvance(item.Sequence, out var gap))
            {
                if (gap is not null)
                {
                    yield return BacklogEntry<EncodedMessage>.Of(gap);
                }
                yield return BacklogEntry<EncodedMessage>.Of(item);
            }
        }
        if (cursor.Before(subscription.NextLive) is { } beforeLive)
        {
            yield return BacklogEntry<EncodedMessage>.Of(beforeLive);
        }
    }

    [LoggerMessage(EventId = LogEventIds.HistoryReadUnavailable, Level = LogLevel.Warning,
        Message = "History of {StreamId} {Channel} unreadable after sequence {Position} ({Error}); serving what this replica holds, the rest as a gap")]
    private partial void LogHistoryUnavailable(string streamId, string channel, ulong position, string error);
}
