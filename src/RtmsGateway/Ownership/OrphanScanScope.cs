using System.Globalization;
using System.Text;

namespace RtmsGateway.Ownership;

/// <summary>
/// Which shards of the lease-deadline index this replica scans for orphans. Every shard is scanned by
/// <see cref="ScannersPerShard"/> live replicas, chosen by rendezvous (highest-random-weight) hashing of shard and replica
/// id: every replica computes the same choice from the same member list without talking to the others, a replica joining
/// or leaving moves only its own shards, and the total scan work is <c>shards × scanners</c> per interval whatever the
/// number of replicas. Until the member list is known (start, Redis unreachable) a replica scans every shard: more work,
/// never a shard left unscanned. Two scanners per shard by default, so a dead replica's shards are still scanned during the
/// lease TTL it takes for it to drop out of the member list; the fencing acquire lets exactly one claimant win anyway.
/// </summary>
public sealed class OrphanScanScope(int scannersPerShard = OrphanScanScope.DefaultScannersPerShard)
{
    public const int DefaultScannersPerShard = 2;

    private volatile int[]? _shards;

    public int ScannersPerShard { get; } = scannersPerShard;

    /// <summary>The shards to scan, out of <paramref name="shardCount"/>.</summary>
    public IReadOnlyList<int> ShardsToScan(int shardCount) => _shards ?? [.. Enumerable.Range(0, shardCount)];

    /// <summary>Recomputes this replica's shards from the live member list (which <paramref name="self"/> is always part of).</summary>
    public void Assign(IEnumerable<string> liveReplicas, string self, int shardCount) =>
        _shards = Compute(liveReplicas, self, shardCount, ScannersPerShard);

    /// <summary>Back to scanning everything (the member list is unknown).</summary>
    public void Reset() => _shards = null;

    /// <summary>The shards <paramref name="self"/> scans: those where it is among the <paramref name="scanners"/> highest-weighted members.</summary>
    public static int[] Compute(IEnumerable<string> liveReplicas, string self, int shardCount, int scanners)
    {
        var members = liveReplicas.Append(self).Distinct(StringComparer.Ordinal).ToArray();
        return [.. Enumerable.Range(0, shardCount).Where(shard =>
            members.OrderByDescending(m => Weight(shard, m)).ThenBy(m => m, StringComparer.Ordinal).Take(scanners).Contains(self, StringComparer.Ordinal))];
    }

    /// <summary>FNV-1a 64 of "shard/replica", finished with a splitmix step so nearby inputs spread.</summary>
    private static ulong Weight(int shard, string replica)
    {
        var hash = 14695981039346656037ul;
        foreach (var b in Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{shard}/{replica}")))
        {
            hash = unchecked((hash ^ b) * 1099511628211ul);
        }
        hash = unchecked((hash ^ (hash >> 30)) * 0xbf58476d1ce4e5b9ul);
        hash = unchecked((hash ^ (hash >> 27)) * 0x94d049bb133111ebul);
        return hash ^ (hash >> 31);
    }
}
