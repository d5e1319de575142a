using Xunit.Abstractions;

namespace RtmsGateway.Tests.Chaos;

/// <summary>
/// The gateway's core promise under a seeded fault schedule: media keeps flowing, nothing is lost without a Gap that
/// says so, exactly one replica talks to Zoom per stream, and no input or fault makes a replica exit. See
/// <see cref="ChaosRun"/> and tests/README.md ("Chaos").
/// </summary>
[Collection(ChaosCollection.Name)]
public sealed class ChaosTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_short_seeded_chaos_run_keeps_every_invariant()
    {
        var result = await ChaosRun.RunAsync(ChaosSettings.ShortRun(), output.WriteLine);
        Assert.True(result.Violations.Count == 0, result.FailureMessage());
    }

    [LongChaosFact]
    public async Task A_long_random_chaos_run_keeps_every_invariant()
    {
        var settings = ChaosSettings.LongRunFromEnvironment()!;
        var result = await ChaosRun.RunAsync(settings, output.WriteLine);
        Assert.True(result.Violations.Count == 0, result.FailureMessage());
    }
}
