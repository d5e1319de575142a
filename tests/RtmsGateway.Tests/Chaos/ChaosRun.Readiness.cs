using RtmsGateway.Api.V1;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Chaos;

internal sealed partial class ChaosRun
{
    private static readonly TimeSpan ReadinessPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Waits until the cluster is ready again after a fault healed at <paramref name="healedAt"/>: N live replicas;
    /// every live meeting connected to Zoom by exactly one client, listed by every replica as STREAMING with the same
    /// live owner; every consumer of it (audio, transcripts) delivering messages the gateway received after the heal; no
    /// stopped meeting listed as live. What is still wrong when the timeout ends is a violation; lost meetings are then
    /// replaced and stalled consumers reconnected, so the run goes on.
    /// </summary>
    private async Task<bool> WaitReadyAsync(DateTimeOffset healedAt, string phase, bool final = false)
    {
        var started = DateTime.UtcNow;
        var timeout = Bounded(_settings.ReadinessTimeout);
        var deadline = started + timeout;
        List<ReadinessProblem> problems;
        while (true)
        {
            problems = await ReadinessProblemsAsync(healedAt);
            if (problems.Count == 0)
            {
                _report.Log($"ready {(DateTime.UtcNow - started).TotalSeconds:0.0}s after {phase}");
                return true;
            }
            if (DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(ReadinessPoll);
        }
        _report.Log($"NOT READY {timeout.TotalSeconds:0}s after {phase}: {problems.Count} problem(s)");
        foreach (var problem in problems)
        {
            if (problem.Kind is { } kind)
            {
                _report.Violation(kind, $"{problem.Detail} (still so {timeout.TotalSeconds:0}s after {phase})");
            }
            else
            {
                _report.Log("  " + problem.Detail);
            }
        }
        if (final)
        {
            return false;
        }
        foreach (var meeting in problems.Where(p => p.LosesMeeting).Select(p => p.Meeting!).Distinct().ToList())
        {
            await AbandonAsync(meeting);
            if (Cluster.LiveReplicas is { Count: > 0 } live)
            {
                await StartMeetingAsync(live[_random.Next(live.Count)]);
            }
        }
        foreach (var consumer in problems.Where(p => p.Consumer is not null && p.Consumer.Meeting.IsLive).Select(p => p.Consumer!).Distinct())
        {
            consumer.Reconnect("it delivered nothing new since the heal");
        }
        return false;
    }

    private async Task<List<ReadinessProblem>> ReadinessProblemsAsync(DateTimeOffset healedAt)
    {
        var problems = new List<ReadinessProblem>();
        foreach (var slot in Cluster.Slots.Where(s => !s.IsLive))
        {
            problems.Add(new ReadinessProblem(null, $"{slot}: no live replica yet"));
        }
        var live = Cluster.LiveReplicas;
        var listings = await Task.WhenAll(live.Select(async r => (Replica: r, Listing: await Cluster.ListAsync(r))));
        foreach (var (replica, listing) in listings.Where(l => l.Listing.Error is not null))
        {
            problems.Add(new ReadinessProblem(ViolationKind.SessionNotListed, $"{replica.ReplicaId} cannot list sessions: {listing.Error}"));
        }
        foreach (var meeting in LiveMeetings)
        {
            problems.AddRange(SessionProblems(meeting, listings, live));
            foreach (var consumer in meeting.Consumers.Where(c => !c.Finished && !c.IsSlow && c.Channel != ChannelKind.Events && c.LatestReceivedAt <= healedAt))
            {
                problems.Add(new ReadinessProblem(ViolationKind.MediaStalled, $"{consumer}: nothing received by the gateway after the heal ({healedAt:HH:mm:ss.fff}) delivered", meeting, consumer));
            }
        }
        foreach (var meeting in AllMeetings.Where(m => m.StoppedBySchedule))
        {
            foreach (var (replica, listing) in listings)
            {
                if (listing.Sessions?.FirstOrDefault(s => s.RtmsStreamId == meeting.StreamId) is { } info)
                {
                    problems.Add(new ReadinessProblem(ViolationKind.StoppedSessionStillListed, $"{meeting} was stopped but {replica.ReplicaId} lists it as {info.State} (owner {info.Owner?.ReplicaId})"));
                }
            }
        }
        return problems;
    }

    /// <summary>The meeting's session as Zoom and every live replica see it.</summary>
    private static IEnumerable<ReadinessProblem> SessionProblems(
        ChaosMeeting meeting, (GatewayReplica Replica, (IReadOnlyList<SessionInfo>? Sessions, string? Error) Listing)[] listings, IReadOnlyList<GatewayReplica> live)
    {
        var zoom = meeting.Simulated;
        if (zoom.State != MeetingState.Streaming || zoom.Counters.LiveSignalingConnections != 1)
        {
            yield return new ReadinessProblem(ViolationKind.ZoomStreamNotConnected, $"{meeting}: Zoom sees the stream {zoom.State} with {zoom.Counters.LiveSignalingConnections} signaling connection(s)", meeting);
        }
        var owners = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (replica, listing) in listings.Where(l => l.Listing.Sessions is not null))
        {
            var info = listing.Sessions!.FirstOrDefault(s => s.RtmsStreamId == meeting.StreamId);
            if (info is null)
            {
                yield return new ReadinessProblem(ViolationKind.SessionNotListed, $"{meeting} is not listed by {replica.ReplicaId}", meeting);
                continue;
            }
            if (info.State != SessionState.Streaming)
            {
                yield return new ReadinessProblem(ViolationKind.SessionNotStreaming, $"{meeting} is {info.State} on {replica.ReplicaId}", meeting);
            }
            owners.Add($"{info.Owner?.ReplicaId ?? "(none)"} epoch {info.Owner?.Epoch ?? 0}");
        }
        if (owners.Count > 1)
        {
            yield return new ReadinessProblem(ViolationKind.OwnersDisagree, $"{meeting}: the replicas name different owners: {string.Join(" / ", owners)}", meeting);
        }
        else if (owners.Count == 1 && !live.Any(r => owners.Min!.StartsWith(r.ReplicaId + " ", StringComparison.Ordinal)))
        {
            yield return new ReadinessProblem(ViolationKind.OwnerNotLive, $"{meeting}: owner {owners.Min} is not a live replica", meeting);
        }
    }
}
