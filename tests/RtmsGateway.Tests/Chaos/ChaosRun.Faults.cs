using RtmsGateway.Protocol;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Chaos;

internal sealed partial class ChaosRun
{
    private static readonly TimeSpan FlowTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan EndTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RecentFlow = TimeSpan.FromSeconds(5);
    // Slower than the meeting produces (audio 50 frames/s, transcripts 20 segments/s), fast enough to get through the
    // transport's buffers in seconds: the gateway's queue for the reader then fills.
    private static readonly TimeSpan SlowAudioReadDelay = TimeSpan.FromMilliseconds(40);
    private static readonly TimeSpan SlowTranscriptReadDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SlowCutOffTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Applies one fault, heals it, and waits for the cluster to be ready again.</summary>
    private async Task RunFaultAsync(ChaosFault fault)
    {
        var record = _report.BeginFault(fault.ToString());
        var temporary = new List<ChaosConsumer>();
        try
        {
            var applied = fault.Kind switch
            {
                FaultKind.KillOwner => await EndOwnerAsync(fault, ExitCause.Killed, record, temporary),
                FaultKind.TerminateOwner => await EndOwnerAsync(fault, ExitCause.Terminated, record, temporary),
                FaultKind.TerminateRelay => await TerminateRelayAsync(fault, record, temporary),
                FaultKind.RedisOutage => await RedisOutageAsync(fault, record),
                FaultKind.RedisRestartEmpty => await RedisRestartAsync(fault, record),
                FaultKind.Partition => await PartitionAsync(fault, record, temporary),
                FaultKind.SignalingDrop => await ZoomDropAsync(fault, record, signaling: true),
                FaultKind.MediaDrop => await ZoomDropAsync(fault, record, signaling: false),
                FaultKind.StopWebhookFirst => await StopAndReplaceAsync(fault, record, StopOrder.WebhookFirst),
                FaultKind.StopSignalingFirst => await StopAndReplaceAsync(fault, record, StopOrder.SignalingFirst),
                FaultKind.SlowSubscriber => await SlowSubscriberAsync(fault, record),
                _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
            };
            if (!applied)
            {
                _report.Healed(record);
            }
            var ready = await WaitReadyAsync(record.HealedWallClock ?? DateTimeOffset.UtcNow, fault.ToString());
            _report.EndFault(record, ready);
        }
        finally
        {
            _partitioned = false;
            _conditions.RedisEmptied = false;
            await Task.WhenAll(temporary.Select(c => c.RetireAsync()));
        }
    }

    /// <summary>Kill -9 or SIGTERM of the owner of a meeting, with fresh consumers on it (direct) and on a relay.</summary>
    private async Task<bool> EndOwnerAsync(ChaosFault fault, ExitCause how, FaultRecord record, List<ChaosConsumer> temporary)
    {
        if (await TargetAsync(fault) is not var (meeting, owner))
        {
            return false;
        }
        await AddTemporaryAsync(temporary, meeting, owner, "owner", ChannelKind.Audio, ChannelKind.Transcripts);
        if (Cluster.LiveReplicas.FirstOrDefault(r => r != owner) is { } relay)
        {
            await AddTemporaryAsync(temporary, meeting, relay, "relay", ChannelKind.Audio, ChannelKind.Transcripts);
        }
        RouteWebhooksAwayFrom(owner);
        await EndReplicaAsync(owner, how, $"owner of {meeting}");
        _report.Healed(record);
        return true;
    }

    /// <summary>SIGTERM of a replica that relays a meeting it does not own (the one owning the fewest sessions), with
    /// fresh consumers of that meeting on it.</summary>
    private async Task<bool> TerminateRelayAsync(ChaosFault fault, FaultRecord record, List<ChaosConsumer> temporary)
    {
        var owners = await Cluster.OwnersAsync();
        var candidates = Cluster.LiveReplicas
            .Select(r => (Replica: r, Owned: owners.Values.Count(o => o == r.ReplicaId), Relayable: LiveMeetings.Where(m => owners.GetValueOrDefault(m.StreamId) is { } o && o != r.ReplicaId).ToList()))
            .Where(c => c.Relayable.Count > 0)
            .OrderBy(c => c.Owned)
            .ToList();
        if (candidates.Count == 0)
        {
            _report.Log("skipped: no replica relays a meeting it does not own");
            return false;
        }
        var (relay, owned, relayable) = candidates[0];
        var meeting = relayable[fault.Pick % relayable.Count];
        await AddTemporaryAsync(temporary, meeting, relay, "relay", ChannelKind.Audio, ChannelKind.Transcripts, ChannelKind.Events);
        RouteWebhooksAwayFrom(relay);
        await EndReplicaAsync(relay, ExitCause.Terminated, $"relay of {meeting} (owns {owned} session(s))");
        _report.Healed(record);
        return true;
    }

    /// <summary>Ends a replica the schedule's way: SIGKILL, or SIGTERM with up to 30 s to drain (longer is a violation,
    /// then SIGKILL). The monitor replaces it with a fresh process.</summary>
    private async Task EndReplicaAsync(GatewayReplica replica, ExitCause how, string role)
    {
        Cluster.ExpectExit(replica, how);
        if (how == ExitCause.Killed)
        {
            _report.Log($"kill -9 {replica.ReplicaId} ({role})");
            replica.Kill();
            return;
        }
        _report.Log($"SIGTERM {replica.ReplicaId} ({role})");
        try
        {
            await replica.TerminateAsync();
            _report.Log($"{replica.ReplicaId} exited with {replica.ExitCode} after SIGTERM");
        }
        catch (OperationCanceledException)
        {
            _report.Violation(ViolationKind.DrainTimedOut, $"{replica.ReplicaId} did not exit within 30 s of SIGTERM; killed. Last lines:\n{replica.OutputTail(30)}");
            replica.Kill();
        }
    }

    /// <summary>Redis unreachable for every replica (blackholed or refused). Owners must keep streaming meanwhile.</summary>
    private async Task<bool> RedisOutageAsync(ChaosFault fault, FaultRecord record)
    {
        foreach (var slot in Cluster.Slots)
        {
            slot.Proxy.SetMode(fault.Cut);
        }
        _report.Log($"Redis {fault.Cut} for every replica for {fault.Duration.TotalSeconds:0.#}s");
        await Task.Delay(fault.Duration); // the fault's length, not a wait for a condition
        if (fault.Duration >= TimeSpan.FromSeconds(5))
        {
            CheckRecentFlow(LiveMeetings.SelectMany(m => m.Consumers), ViolationKind.MediaStoppedDuringOutage, "at the end of the Redis outage");
        }
        foreach (var slot in Cluster.Slots)
        {
            slot.Proxy.SetMode(ProxyMode.Pass);
        }
        _report.Healed(record);
        return true;
    }

    /// <summary>Redis crashes, stays down a while, and restarts empty (no persistence): no session may be lost, no
    /// second owner appear.</summary>
    private async Task<bool> RedisRestartAsync(ChaosFault fault, FaultRecord record)
    {
        _conditions.RedisEmptied = true;
        await Cluster.Redis.RestartAsync(whileDown: () => Task.Delay(fault.Duration)); // the fault's length
        _report.Log($"Redis restarted empty after {fault.Duration.TotalSeconds:0.#}s down");
        _report.Healed(record);
        return true;
    }

    /// <summary>One replica (the owner of a meeting, or a replica owning none of it) cannot reach Redis; the others can.
    /// Zoom refusing a second client (status 8) is tolerated meanwhile, two live clients never.</summary>
    private async Task<bool> PartitionAsync(ChaosFault fault, FaultRecord record, List<ChaosConsumer> temporary)
    {
        if (await TargetAsync(fault) is not var (meeting, owner))
        {
            return false;
        }
        var victim = fault.HitsOwner ? owner : Cluster.LiveReplicas.FirstOrDefault(r => r != owner) ?? owner;
        await AddTemporaryAsync(temporary, meeting, victim, victim == owner ? "owner" : "relay", ChannelKind.Audio, ChannelKind.Transcripts);
        RouteWebhooksAwayFrom(victim);
        var slot = Cluster.SlotOf(victim.ReplicaId)!;
        _partitioned = true;
        slot.Proxy.SetMode(ProxyMode.Blackhole);
        _report.Log($"partition: {victim.ReplicaId} ({(victim == owner ? "owner" : "not the owner")} of {meeting}) cannot reach Redis for {fault.Duration.TotalSeconds:0.#}s");
        await Task.Delay(fault.Duration); // the fault's length
        slot.Proxy.SetMode(ProxyMode.Pass);
        _report.Healed(record);
        return true;
    }

    /// <summary>Zoom drops a meeting's signaling (media with it, then rtms_interrupted) or its media socket.</summary>
    private async Task<bool> ZoomDropAsync(ChaosFault fault, FaultRecord record, bool signaling)
    {
        if (await TargetAsync(fault) is not var (meeting, owner))
        {
            return false;
        }
        RouteWebhooksAwayFrom(null);
        _report.Log($"Zoom drops the {(signaling ? "signaling" : "media")} socket of {meeting} (owner {owner.ReplicaId})");
        if (signaling)
        {
            using var timeout = new CancellationTokenSource(EndTimeout);
            await meeting.Simulated.Faults.DropSignalingAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        else
        {
            await meeting.Simulated.Faults.DropMediaAsync();
        }
        _report.Healed(record);
        return true;
    }

    /// <summary>Zoom ends a meeting in the given order; its consumers must end with SessionEnded + OK; a new meeting
    /// (with new consumers) keeps the count.</summary>
    private async Task<bool> StopAndReplaceAsync(ChaosFault fault, FaultRecord record, StopOrder order)
    {
        if (await TargetAsync(fault) is not var (meeting, _))
        {
            return false;
        }
        RouteWebhooksAwayFrom(null);
        await StopMeetingAsync(meeting, order);
        var live = Cluster.LiveReplicas;
        _report.Healed(record);
        if (live.Count > 0)
        {
            await StartMeetingAsync(live[fault.Pick % live.Count]);
        }
        return true;
    }

    private async Task StopMeetingAsync(ChaosMeeting meeting, StopOrder order)
    {
        meeting.StoppedBySchedule = true;
        using (var timeout = new CancellationTokenSource(EndTimeout))
        {
            try
            {
                var status = await meeting.Simulated.StopAsync(StopReason.MeetingEnded, order, timeout.Token);
                _report.Log($"{meeting} stopped by Zoom ({order}); rtms_stopped -> HTTP {(int)status}");
            }
            catch (OperationCanceledException)
            {
                _report.Log($"{meeting}: the rtms_stopped webhook got no answer within {EndTimeout}");
            }
        }
        var endWait = Bounded(EndTimeout);
        var deadline = DateTime.UtcNow + endWait;
        while (meeting.Consumers.Any(c => !c.Finished) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(ReadinessPoll);
        }
        foreach (var consumer in meeting.Consumers.Where(c => !c.Finished))
        {
            _report.Violation(ViolationKind.StoppedMeetingCallNotEnded, $"{consumer}: no SessionEnded + OK (nor NOT_FOUND) within {endWait.TotalSeconds:0}s of the {order} stop");
            await consumer.RetireAsync();
        }
    }

    /// <summary>Two consumers reading at half the meeting's rate from the owner: audio must announce what it drops with
    /// SUBSCRIBER_TOO_SLOW gaps, transcripts must end with RESOURCE_EXHAUSTED and a resume point; the meeting's other
    /// consumers must not notice.</summary>
    private async Task<bool> SlowSubscriberAsync(ChaosFault fault, FaultRecord record)
    {
        if (await TargetAsync(fault) is not var (meeting, owner))
        {
            return false;
        }
        var audio = AddConsumer(meeting, ChannelKind.Audio, owner, "owner", SlowAudioReadDelay);
        var transcripts = AddConsumer(meeting, ChannelKind.Transcripts, owner, "owner", SlowTranscriptReadDelay);
        var cutOff = Bounded(SlowCutOffTimeout);
        var deadline = DateTime.UtcNow + cutOff;
        while ((audio.TooSlowGaps == 0 || transcripts.Overflows == 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(ReadinessPoll);
        }
        _report.Log($"slow consumers: {audio} with {audio.TooSlowGaps} SUBSCRIBER_TOO_SLOW gap(s); {transcripts} with {transcripts.Overflows} overflow(s)");
        if (audio.TooSlowGaps == 0)
        {
            _report.Violation(ViolationKind.SlowSubscriberNotCutOff, $"{audio}: no SUBSCRIBER_TOO_SLOW gap in {cutOff.TotalSeconds:0}s of reading 25 of 50 frames/s");
        }
        if (transcripts.Overflows == 0)
        {
            _report.Violation(ViolationKind.SlowSubscriberNotCutOff, $"{transcripts}: no RESOURCE_EXHAUSTED in {cutOff.TotalSeconds:0}s of reading 10 of 20 segments/s");
        }
        CheckRecentFlow(meeting.Consumers.Where(c => c != audio && c != transcripts), ViolationKind.SlowSubscriberStalledOthers, $"while {meeting} had a slow consumer");
        await audio.RetireAsync();
        await transcripts.RetireAsync();
        _report.Healed(record);
        return true;
    }

    /// <summary>Every (non-slow) audio/transcript consumer of a live meeting got a message the gateway received in the
    /// last few seconds.</summary>
    private void CheckRecentFlow(IEnumerable<ChaosConsumer> consumers, ViolationKind kind, string when)
    {
        var since = DateTimeOffset.UtcNow - RecentFlow;
        foreach (var consumer in consumers.Where(c => c.Meeting.IsLive && !c.Finished && !c.IsSlow && c.Channel != ChannelKind.Events && c.LatestReceivedAt < since))
        {
            _report.Violation(kind, $"{consumer}: nothing received in the last {RecentFlow.TotalSeconds:0}s {when}");
        }
    }

    /// <summary>A live meeting picked by the fault's number, and its owner.</summary>
    private async Task<(ChaosMeeting Meeting, GatewayReplica Owner)?> TargetAsync(ChaosFault fault)
    {
        var live = LiveMeetings;
        if (live.Count == 0)
        {
            _report.Log("skipped: no live meeting");
            return null;
        }
        var meeting = live[fault.Pick % live.Count];
        var owners = await Cluster.OwnersAsync();
        if (owners.GetValueOrDefault(meeting.StreamId) is not { } ownerId || Cluster.Replica(ownerId) is not { HasExited: false } owner)
        {
            _report.Log($"skipped: {meeting} has no live owner listed");
            return null;
        }
        return (meeting, owner);
    }

    /// <summary>Consumers that start on <paramref name="replica"/> just before a fault hits it, so every fault exercises
    /// both the direct and the relayed path; waits until they deliver, and retires them after the step.</summary>
    private async Task AddTemporaryAsync(List<ChaosConsumer> temporary, ChaosMeeting meeting, GatewayReplica replica, string role, params ChannelKind[] channels)
    {
        var added = channels.Select(c => AddConsumer(meeting, c, replica, role)).ToList();
        temporary.AddRange(added);
        var since = DateTimeOffset.UtcNow;
        var deadline = DateTime.UtcNow + FlowTimeout;
        while (added.Any(c => c.Channel != ChannelKind.Events && c.LatestReceivedAt <= since) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(ReadinessPoll);
        }
        foreach (var consumer in added.Where(c => c.Channel != ChannelKind.Events && c.LatestReceivedAt <= since))
        {
            _report.Violation(ViolationKind.MediaStalled, $"{consumer}: a new subscription delivered nothing within {FlowTimeout.TotalSeconds:0}s");
        }
    }

    /// <summary>Webhooks go to a live replica other than <paramref name="avoid"/> (a load balancer routes around a pod
    /// that is about to go, or cannot reach Redis).</summary>
    private void RouteWebhooksAwayFrom(GatewayReplica? avoid)
    {
        var candidates = Cluster.LiveReplicas.Where(r => r != avoid).ToList();
        if (candidates.Count > 0)
        {
            var target = candidates[_random.Next(candidates.Count)];
            Cluster.RouteWebhooksTo(target);
            _report.Log($"webhooks go to {target.ReplicaId}");
        }
    }
}
