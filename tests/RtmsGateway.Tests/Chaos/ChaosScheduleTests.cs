namespace RtmsGateway.Tests.Chaos;

/// <summary>The schedules are reproducible from their seed and the short one covers the faults it promises.</summary>
public sealed class ChaosScheduleTests
{
    [Fact]
    public void A_seed_gives_the_same_schedule_every_time()
    {
        Assert.Equal(ChaosSchedule.Short(new Random(7)), ChaosSchedule.Short(new Random(7)));
        Assert.Equal(ChaosSchedule.Endless(new Random(7)).Take(50), ChaosSchedule.Endless(new Random(7)).Take(50));
        Assert.NotEqual(ChaosSchedule.Short(new Random(7)).Select(f => f.Kind), ChaosSchedule.Short(new Random(8)).Select(f => f.Kind));
    }

    [Fact]
    public void The_short_schedule_has_every_kind_and_no_60_second_outage()
    {
        var faults = ChaosSchedule.Short(new Random(ChaosSettings.ShortRunSeed));
        Assert.Equal(Enum.GetValues<FaultKind>().Order(), faults.Select(f => f.Kind).Distinct().Order());
        Assert.Contains(faults, f => f is { Kind: FaultKind.Partition, HitsOwner: true });
        Assert.Contains(faults, f => f.Kind == FaultKind.RedisOutage && f.Duration >= TimeSpan.FromSeconds(10));
        Assert.All(faults, f => Assert.True(f.Duration < TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void The_long_schedule_reaches_the_60_second_outage_and_non_owner_partitions()
    {
        var faults = ChaosSchedule.Endless(new Random(ChaosSettings.ShortRunSeed)).Take(500).ToList();
        Assert.Contains(faults, f => f.Kind == FaultKind.RedisOutage && f.Duration == TimeSpan.FromSeconds(60));
        Assert.Contains(faults, f => f is { Kind: FaultKind.Partition, HitsOwner: false });
        Assert.Equal(Enum.GetValues<FaultKind>().Length, faults.Select(f => f.Kind).Distinct().Count());
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("2h", 7200)]
    [InlineData("00:10:00", 600)]
    public void Durations_parse(string text, int seconds) => Assert.Equal(TimeSpan.FromSeconds(seconds), ChaosSettings.ParseDuration(text));
}
