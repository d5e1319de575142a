using System.Globalization;
using RtmsGateway.Sessions;

namespace RtmsGateway.Cluster;

/// <summary>
/// A message's sequence as a Redis Stream entry id: <c>epoch-n</c> for <c>epoch * stride + n</c>. Entry ids must grow, so
/// Redis itself keeps the history in sequence order across owners: a retried write of an entry already stored, or a late
/// write of a previous owner after its successor wrote, is refused instead of being stored twice or out of order.
/// </summary>
internal static class HistoryEntryId
{
    public static string Of(ulong sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{Sequences.EpochOf(sequence)}-{sequence % Sequences.EpochStride}");

    /// <summary>The sequence of an entry id, or null when it is not one this gateway writes.</summary>
    public static ulong? Parse(string? id)
    {
        if (id is null)
        {
            return null;
        }
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || !ulong.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            || !ulong.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            || n >= Sequences.EpochStride || epoch >= ulong.MaxValue / Sequences.EpochStride)
        {
            return null;
        }
        return (epoch * Sequences.EpochStride) + n;
    }

    /// <summary>Redis's answer to an entry id at or below the stream's last: the entry is there already (or superseded).</summary>
    public static bool IsAlreadyWritten(Exception ex) =>
        ex is StackExchange.Redis.RedisServerException && ex.Message.Contains("equal or smaller", StringComparison.OrdinalIgnoreCase);
}
