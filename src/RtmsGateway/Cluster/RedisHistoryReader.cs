using System.Runtime.CompilerServices;
using RtmsGateway.Ownership;
using RtmsGateway.Sessions;
using StackExchange.Redis;

namespace RtmsGateway.Cluster;

/// <summary>
/// Reads a channel's history Stream with <c>XRANGE</c> between exclusive entry ids, a page at a time, so a reader of a long
/// meeting never holds the whole transcript at once.
/// </summary>
internal sealed class RedisHistoryReader(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time) : IHistoryReader
{
    private const int PageSize = 512;

    public async IAsyncEnumerable<IReadOnlyList<ChannelItem<EncodedMessage>>> ReadAsync(
        string streamId, string channel, ulong after, ulong before, [EnumeratorCancellation] CancellationToken ct)
    {
        if (before <= after + 1)
        {
            yield break;
        }
        var key = (RedisKey)keys.History(streamId, channel);
        RedisValue min = after == 0 ? "-" : "(" + HistoryEntryId.Of(after);
        var max = (RedisValue)("(" + HistoryEntryId.Of(before));
        while (true)
        {
            var entries = await RedisCall.RunAsync(() => redis.GetDatabase().StreamRangeAsync(key, min, max, PageSize), ct);
            var page = new List<ChannelItem<EncodedMessage>>(entries.Length);
            var now = time.GetTimestamp();
            foreach (var entry in entries)
            {
                if (HistoryEntryId.Parse(entry.Id) is { } sequence && (byte[]?)entry["m"] is { } bytes)
                {
                    page.Add(new ChannelItem<EncodedMessage>(sequence, (string?)entry["u"] ?? "0", EncodedMessage.FromEncoded(bytes), now));
                }
            }
            if (page.Count > 0)
            {
                yield return page;
            }
            if (entries.Length < PageSize)
            {
                yield break;
            }
            min = "(" + (string)entries[^1].Id!;
        }
    }
}
