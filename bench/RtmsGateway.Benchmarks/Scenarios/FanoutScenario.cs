using RtmsGateway.Api.V1;
using RtmsGateway.Benchmarks.Harness;

namespace RtmsGateway.Benchmarks.Scenarios;

/// <summary>One meeting, K audio subscribers: latency to the slowest-served subscribers (p99 over all deliveries).</summary>
internal static class FanoutScenario
{
    public sealed record Result(int Subscribers, double P50, double P99, long Deliveries, long Lost);

    /// <param name="profile">Run after the measured window, under the same load (<c>--profile</c>): records the gateway's profiles.</param>
    public static async Task<Result> RunAsync(BenchmarkSettings settings, int subscribers, Func<Testing.GatewayReplica, Func<long>, Task>? profile = null)
    {
        await using var rig = await GatewayRig.StartAsync(replicas: 1, cluster: false, settings.GatewayDll);
        var meeting = (await rig.StartMeetingsAsync(1))[0];
        var latency = new LatencySamples();
        var tally = new StreamTally();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, Math.Max(1, subscribers / 100)).Select(_ => rig.Invoker(rig.Gateways[0])).ToArray();
        var readers = Enumerable.Range(0, subscribers)
            .Select(i => LeanAudioSubscriber.RunAsync(clients[i % clients.Length], new SubscriptionTarget { RtmsStreamId = meeting.StreamId }, latency, tally, stop.Token))
            .ToList();
        await Task.Delay(settings.Warmup + TimeSpan.FromMilliseconds(subscribers));
        latency.Clear();
        tally.Reset();
        await Task.Delay(settings.Window);
        var result = new Result(subscribers, latency.Percentile(50), latency.Percentile(99), tally.Messages, tally.Missed);
        if (profile is not null)
        {
            await profile(rig.Gateways[0], () => tally.Messages);
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        return result;
    }
}
