using System.Diagnostics;
using RtmsGateway.Api.V1;
using RtmsGateway.Benchmarks.Harness;
using RtmsGateway.Sessions;

namespace RtmsGateway.Benchmarks.Scenarios;

/// <summary>
/// Three replicas on one redis-server: latency of a subscriber on the owner versus one relayed through another replica,
/// then the failover time after SIGKILL of the owner (until the relayed subscriber receives audio again).
/// </summary>
internal static class ClusterScenario
{
    public sealed record Result(double OwnerP50, double OwnerP99, double RelayP50, double RelayP99, double FailoverSeconds, long RelayLostBeforeKill);

    public static async Task<Result> RunAsync(BenchmarkSettings settings)
    {
        await using var rig = await GatewayRig.StartAsync(replicas: 3, cluster: true);
        var meeting = (await rig.StartMeetingsAsync(1))[0];
        var sessions = await rig.Client(rig.Gateways[0]).ListSessionsAsync(new ListSessionsRequest());
        var session = sessions.Sessions.Single();
        var owner = rig.Gateways.Single(g => g.ReplicaId == session.Owner.ReplicaId);
        var relay = rig.Gateways.First(g => g != owner);
        var target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId };

        var ownerLatency = new LatencySamples();
        var relayLatency = new LatencySamples();
        var ownerTally = new StreamTally();
        var relayTally = new StreamTally();
        var resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killed = false;
        using var stop = new CancellationTokenSource();
        var readers = new[]
        {
            AudioSubscriber.RunAsync(rig.Client(owner), target, ownerLatency, ownerTally, null, stop.Token),
            AudioSubscriber.RunAsync(rig.Client(relay), target, relayLatency, relayTally, r =>
            {
                if (Volatile.Read(ref killed) && r.Frame is { } f && Sequences.EpochOf(f.Header.Sequence) > session.Owner.Epoch)
                {
                    resumed.TrySetResult();
                }
            }, stop.Token),
        };
        await Task.Delay(settings.Warmup);
        ownerLatency.Clear();
        relayLatency.Clear();
        relayTally.Reset();
        await Task.Delay(settings.Window);
        var lostBefore = relayTally.Missed;
        var figures = (ownerLatency.Percentile(50), ownerLatency.Percentile(99), relayLatency.Percentile(50), relayLatency.Percentile(99));

        var clock = Stopwatch.StartNew();
        Volatile.Write(ref killed, true);
        owner.Kill();
        var failover = await Task.WhenAny(resumed.Task, Task.Delay(TimeSpan.FromSeconds(30))) == resumed.Task ? clock.Elapsed.TotalSeconds : double.NaN;
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        return new Result(figures.Item1, figures.Item2, figures.Item3, figures.Item4, failover, lostBefore);
    }
}
