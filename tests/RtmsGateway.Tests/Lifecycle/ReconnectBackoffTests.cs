using RtmsGateway.Rtms;

namespace RtmsGateway.Tests.Lifecycle;

/// <summary><see cref="ReconnectBackoff"/>: 3 s doubling to a 30 s cap (§5.2), each delay jittered into the upper half of its nominal value.</summary>
public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);
    private static readonly double[] NominalSeconds = [3, 6, 12, 24, 30, 30, 30, 30];

    [Fact]
    public void Nominal_delays_are_3_s_doubling_to_a_30_s_cap()
    {
        var backoff = new ReconnectBackoff(Initial, Cap);
        var nominal = new List<double>();
        var delays = new List<double>();
        foreach (var _ in NominalSeconds)
        {
            nominal.Add(backoff.NextNominal.TotalSeconds);
            delays.Add(backoff.Next().TotalSeconds);
        }
        Assert.Equal(NominalSeconds, nominal);
        // Without jitter a delay is its nominal value.
        Assert.Equal(NominalSeconds, delays);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(42)]
    [InlineData(1234)]
    [InlineData(987654)]
    public void Each_jittered_delay_lies_in_the_upper_half_of_its_nominal_value_and_never_above_the_cap(int seed)
    {
        var backoff = new ReconnectBackoff(Initial, Cap, new Random(seed));
        foreach (var nominal in NominalSeconds.Concat(Enumerable.Repeat(30.0, 20)))
        {
            Assert.Equal(nominal, backoff.NextNominal.TotalSeconds);
            var delay = backoff.Next();
            Assert.InRange(delay, TimeSpan.FromSeconds(nominal / 2), TimeSpan.FromSeconds(nominal));
            Assert.True(delay <= Cap);
        }
    }

    [Fact]
    public void Streams_with_different_seeds_do_not_reconnect_in_lockstep()
    {
        var first = Enumerable.Range(0, 100).Select(seed => new ReconnectBackoff(Initial, Cap, new Random(seed)).Next()).ToList();
        Assert.True(first.Distinct().Count() >= 95, $"only {first.Distinct().Count()} distinct first delays among 100 streams");
        Assert.NotEqual(Delays(seed: 1, count: 6), Delays(seed: 2, count: 6));
        // The delays spread over the whole upper half, not a corner of it.
        Assert.True(first.Min() < TimeSpan.FromSeconds(1.8) && first.Max() > TimeSpan.FromSeconds(2.7), $"first delays span {first.Min()}..{first.Max()}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_delays()
    {
        Assert.Equal(Delays(seed: 5, count: 8), Delays(seed: 5, count: 8));
    }

    [Fact]
    public void Reset_starts_over_at_the_first_delay()
    {
        var backoff = new ReconnectBackoff(Initial, Cap, new Random(3));
        for (var i = 0; i < 6; i++)
        {
            backoff.Next();
        }
        Assert.Equal(Cap, backoff.NextNominal);
        backoff.Reset();
        Assert.Equal(Initial, backoff.NextNominal);
        Assert.InRange(backoff.Next(), TimeSpan.FromSeconds(1.5), Initial);
        Assert.Equal(TimeSpan.FromSeconds(6), backoff.NextNominal);
    }

    private static List<TimeSpan> Delays(int seed, int count)
    {
        var backoff = new ReconnectBackoff(Initial, Cap, new Random(seed));
        return [.. Enumerable.Range(0, count).Select(_ => backoff.Next())];
    }
}
