using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Chaos;

/// <summary>
/// The seeded fault schedules. The short one is a fixed set of the most bug-revealing faults (kill -9, SIGTERM of an
/// owner and of a relay, Redis down 1 s and 10 s, Redis crashed and back empty after 2 s, a partition of an owner, signaling and media
/// drops, both stop orders, a slow subscriber) in an order the seed shuffles; the long one draws faults at random
/// forever (the run stops it when its duration is over), the 60 s outage included.
/// </summary>
internal static class ChaosSchedule
{
    private static readonly int[] OutageSeconds = [1, 10, 60];

    /// <summary>About 2 minutes on a 2-core machine when the gateway recovers promptly.</summary>
    public static IReadOnlyList<ChaosFault> Short(Random random)
    {
        ChaosFault[] faults =
        [
            Fault(random, FaultKind.KillOwner),
            Fault(random, FaultKind.TerminateOwner),
            Fault(random, FaultKind.TerminateRelay),
            Fault(random, FaultKind.RedisOutage, TimeSpan.FromSeconds(1), ProxyMode.Refuse),
            Fault(random, FaultKind.RedisOutage, TimeSpan.FromSeconds(10), ProxyMode.Blackhole),
            Fault(random, FaultKind.RedisRestartEmpty, TimeSpan.FromSeconds(2)),
            Fault(random, FaultKind.Partition, TimeSpan.FromSeconds(6), hitsOwner: true),
            Fault(random, FaultKind.SignalingDrop),
            Fault(random, FaultKind.MediaDrop),
            Fault(random, FaultKind.StopWebhookFirst),
            Fault(random, FaultKind.StopSignalingFirst),
            Fault(random, FaultKind.SlowSubscriber),
        ];
        random.Shuffle(faults);
        return faults;
    }

    /// <summary>An endless random schedule (every kind; outages of 1, 10 or 60 s, either way of cutting; partitions of
    /// owners and non-owners).</summary>
    public static IEnumerable<ChaosFault> Endless(Random random)
    {
        var kinds = Enum.GetValues<FaultKind>();
        while (true)
        {
            var kind = kinds[random.Next(kinds.Length)];
            yield return kind switch
            {
                FaultKind.RedisOutage => Fault(random, kind, TimeSpan.FromSeconds(OutageSeconds[random.Next(OutageSeconds.Length)]), random.Next(2) == 0 ? ProxyMode.Blackhole : ProxyMode.Refuse),
                FaultKind.Partition => Fault(random, kind, TimeSpan.FromSeconds(random.Next(3, 20)), hitsOwner: random.Next(3) != 0),
                FaultKind.RedisRestartEmpty => Fault(random, kind, TimeSpan.FromSeconds(random.Next(0, 8))),
                _ => Fault(random, kind),
            };
        }
    }

    private static ChaosFault Fault(Random random, FaultKind kind, TimeSpan? duration = null, ProxyMode cut = ProxyMode.Blackhole, bool hitsOwner = true) =>
        new(kind, duration ?? TimeSpan.Zero, cut, hitsOwner, random.Next());
}
