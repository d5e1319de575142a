using RtmsGateway.Ownership;

namespace RtmsGateway.Tests.Cluster;

/// <summary>Rendezvous assignment of deadline-index shards to scanning replicas.</summary>
public sealed class OrphanScanScopeTests
{
    private const int Shards = 16;

    private static Dictionary<string, int[]> Assign(IReadOnlyList<string> members, int scanners) =>
        members.ToDictionary(m => m, m => OrphanScanScope.Compute(members, m, Shards, scanners));

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(5, 2)]
    [InlineData(20, 1)]
    [InlineData(20, 3)]
    public void Every_shard_is_scanned_by_exactly_the_configured_number_of_replicas(int replicas, int scanners)
    {
        var members = Enumerable.Range(0, replicas).Select(i => $"replica-{i}").ToList();
        var assignment = Assign(members, scanners);
        foreach (var shard in Enumerable.Range(0, Shards))
        {
            Assert.Equal(Math.Min(scanners, replicas), assignment.Values.Count(s => s.Contains(shard)));
        }
        // Total work is shards × scanners, however many replicas there are.
        Assert.Equal(Shards * Math.Min(scanners, replicas), assignment.Values.Sum(s => s.Length));
    }

    [Fact]
    public void A_replica_leaving_moves_only_its_own_shards()
    {
        var members = Enumerable.Range(0, 6).Select(i => $"replica-{i}").ToList();
        var before = Assign(members, scanners: 1);
        var after = Assign([.. members.Where(m => m != "replica-3")], scanners: 1);
        var gained = new List<int>();
        foreach (var (member, shards) in after)
        {
            // Nobody loses a shard; what anybody gains was the leaver's.
            Assert.Subset(shards.ToHashSet(), before[member].ToHashSet());
            gained.AddRange(shards.Except(before[member]));
        }
        Assert.Equal(before["replica-3"].Order(), gained.Order());
    }

    [Fact]
    public void Until_the_members_are_known_a_replica_scans_every_shard()
    {
        var scope = new OrphanScanScope();
        Assert.Equal(Enumerable.Range(0, Shards), scope.ShardsToScan(Shards));
        scope.Assign(["replica-a", "replica-b", "replica-c", "replica-d"], "replica-a", Shards);
        Assert.True(scope.ShardsToScan(Shards).Count < Shards);
        scope.Reset();
        Assert.Equal(Shards, scope.ShardsToScan(Shards).Count);
    }
}
