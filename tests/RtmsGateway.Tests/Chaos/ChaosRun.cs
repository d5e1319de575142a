using RtmsGateway.Simulator;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Chaos;

/// <summary>
/// A chaos run against the real thing: redis-server, N gateway replica processes (each behind its own Redis
/// <see cref="FaultProxy"/>), the simulator with several meetings, and independent consumers on audio, transcripts and
/// events — some through the owner, most through replicas that relay. It applies a seeded fault schedule one fault at
/// a time, waits after each for the cluster to be ready again (every live meeting streaming with one owner and
/// delivering to every consumer — a condition with a generous timeout, never a fixed sleep), and checks continuously
/// that no replica exits unless killed, that Zoom never sees two clients for one stream, and that every consumer's
/// channel keeps its promise. The verdict is the list of violations in the <see cref="ChaosResult"/>.
/// </summary>
internal sealed partial class ChaosRun : IAsyncDisposable
{
    private static readonly TimeSpan MonitorInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly ChaosSettings _settings;
    private readonly ChaosReport _report;
    private readonly ChaosConditions _conditions = new();
    private readonly Random _random;
    private readonly List<ChaosMeeting> _meetings = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, long> _duplicatesSeen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private ChaosCluster? _cluster;
    private Task _monitor = Task.CompletedTask;
    private volatile bool _partitioned;
    private int _meetingNumber;

    private ChaosRun(ChaosSettings settings, ChaosReport report)
    {
        _settings = settings;
        _report = report;
        _random = new Random(settings.Seed);
    }

    private ChaosCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not started.");

    /// <summary>A wait of the run: <paramref name="wanted"/>, but past the short run's hard deadline only a few seconds
    /// (a gateway that never recovers must not hold the suite).</summary>
    private TimeSpan Bounded(TimeSpan wanted) =>
        _settings.HardDeadline is { } deadline && _report.Elapsed + wanted > deadline
            ? TimeSpan.FromTicks(Math.Min(wanted.Ticks, Math.Max(TimeSpan.FromSeconds(5).Ticks, (deadline - _report.Elapsed).Ticks)))
            : wanted;

    private IReadOnlyList<ChaosMeeting> LiveMeetings
    {
        get
        {
            lock (_meetings)
            {
                return [.. _meetings.Where(m => m.IsLive)];
            }
        }
    }

    private IReadOnlyList<ChaosMeeting> AllMeetings
    {
        get
        {
            lock (_meetings)
            {
                return [.. _meetings];
            }
        }
    }

    /// <summary>Runs the whole schedule and returns the verdict. The seed is the first line of the output.</summary>
    public static async Task<ChaosResult> RunAsync(ChaosSettings settings, Action<string> output)
    {
        using var report = new ChaosReport(settings.Seed, settings.LogPath, output);
        report.Log($"chaos seed {settings.Seed} ({(settings.IsLongRun ? $"long run for {settings.Duration}" : "short run")}); " +
            $"replay with {ChaosSettings.SeedVariable}={settings.Seed}; log {settings.LogPath}");
        var run = new ChaosRun(settings, report);
        var replicaOutput = string.Empty;
        try
        {
            await run.ExecuteAsync();
        }
        catch (Exception ex)
        {
            report.Log($"HARNESS ERROR (not a verdict on the gateway): {ex}");
            throw;
        }
        finally
        {
            if (run._cluster is { } cluster)
            {
                replicaOutput = cluster.Diagnostics(lines: 120);
                report.WriteToFile("==== full replica output\n" + cluster.FullOutput());
            }
            await run.DisposeAsync();
            report.WriteToFile("==== report\n" + report.Render(detailsPerKind: int.MaxValue));
        }
        return new ChaosResult(settings.Seed, report.Violations, report.Render(), replicaOutput, report.LogPath, report.Elapsed);
    }

    private async Task ExecuteAsync()
    {
        _report.BeginStep("startup");
        _cluster = await ChaosCluster.StartAsync(_settings, _report);
        _monitor = Task.Run(MonitorAsync);
        for (var i = 0; i < _settings.Meetings; i++)
        {
            await StartMeetingAsync(Cluster.Slots[i % Cluster.Slots.Count].Current!);
        }
        await WaitReadyAsync(DateTimeOffset.UtcNow, "startup");

        var schedule = _settings.IsLongRun ? ChaosSchedule.Endless(_random) : ChaosSchedule.Short(_random);
        if (!_settings.IsLongRun)
        {
            _report.Log("schedule: " + string.Join(", ", (IReadOnlyList<ChaosFault>)schedule));
        }
        foreach (var fault in schedule)
        {
            if (_settings.Duration is { } duration && _report.Elapsed > duration)
            {
                break;
            }
            if (_settings.ScheduleBudget is { } budget && _report.Elapsed > budget)
            {
                _report.Log($"schedule budget {budget} used up (the cluster was slow to recover): skipping the rest, from {fault}");
                break;
            }
            await RunFaultAsync(fault);
        }

        _report.BeginStep("final checks");
        await WaitReadyAsync(DateTimeOffset.UtcNow, "final checks", final: true);
        await StopEveryMeetingAsync();
        LogTotals();
    }

    /// <summary>What Zoom saw per meeting (handshakes, duplicates, the most live signaling connections at once) and
    /// what every consumer received.</summary>
    private void LogTotals()
    {
        _report.Log($"Zoom totals: {Cluster.Simulator.Counters}; most live signaling connections at once, all meetings: {Cluster.Simulator.Counters.MaxLiveSignalingConnections}");
        foreach (var meeting in AllMeetings)
        {
            var c = meeting.Simulated.Counters;
            _report.Log($"  {meeting}{(meeting.Abandoned ? " (abandoned)" : string.Empty)}: {c.SignalingHandshakes} signaling handshakes, {c.DuplicatesFlagged} duplicate(s), " +
                $"at most {c.MaxLiveSignalingConnections} live at once; {c.AudioFramesSent} audio frames, {c.TranscriptsSent} transcripts sent");
            foreach (var consumer in meeting.Consumers)
            {
                _report.Log($"    {consumer}, {consumer.TooSlowGaps} slow-subscriber gap(s), {consumer.Overflows} overflow(s)");
            }
        }
    }

    /// <summary>Adds a meeting, starts it with its rtms_started sent to <paramref name="via"/>, waits until it streams
    /// and has an owner, and gives it its consumers: audio through the owner and through a relay, transcripts through
    /// the owner and through another relay, events through a relay.</summary>
    private async Task<ChaosMeeting?> StartMeetingAsync(GatewayReplica via)
    {
        var name = $"m{++_meetingNumber}";
        var simulated = Cluster.Simulator.AddMeeting(new MeetingOptions
        {
            Participants = 3,
            // Many, long transcript lines (≈1 KB) so a slow reader overflows its reliable queue in seconds.
            TranscriptInterval = TimeSpan.FromMilliseconds(50),
            TranscriptLines = TranscriptLines,
            ActiveSpeakerInterval = TimeSpan.FromSeconds(1),
            Seed = _random.Next(),
        });
        var meeting = new ChaosMeeting(name, simulated);
        lock (_meetings)
        {
            _meetings.Add(meeting);
        }
        Cluster.RouteWebhooksTo(via);
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            var status = await simulated.StartAsync(timeout.Token);
            _report.Log($"{meeting}: rtms_started via {via.ReplicaId} -> HTTP {(int)status}");
            await simulated.WaitForStreamingAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            _report.Violation(ViolationKind.ZoomStreamNotConnected, $"{meeting} started via {via.ReplicaId}: no replica connected to Zoom within {StartTimeout} ({simulated.State})");
            await AbandonAsync(meeting);
            return null;
        }
        var owner = await WaitForOwnerAsync(meeting);
        if (owner is null)
        {
            _report.Violation(ViolationKind.SessionNotListed, $"{meeting}: streaming, but no live replica lists an owner for it within {StartTimeout}");
            await AbandonAsync(meeting);
            return null;
        }
        var relays = Cluster.LiveReplicas.Where(r => r != owner).OrderBy(_ => _random.Next()).ToList();
        GatewayReplica Relay(int i) => relays.Count == 0 ? owner : relays[i % relays.Count];
        AddConsumer(meeting, ChannelKind.Audio, owner, "owner");
        AddConsumer(meeting, ChannelKind.Audio, Relay(0), "relay");
        AddConsumer(meeting, ChannelKind.Transcripts, Relay(1), "relay");
        AddConsumer(meeting, ChannelKind.Transcripts, owner, "owner");
        AddConsumer(meeting, ChannelKind.Events, Relay(0), "relay");
        _report.Log($"{meeting}: owned by {owner.ReplicaId}; consumers {string.Join(", ", meeting.Consumers.Select(c => c.Id))}");
        return meeting;
    }

    private ChaosConsumer AddConsumer(ChaosMeeting meeting, ChannelKind channel, GatewayReplica first, string role, TimeSpan readDelay = default)
    {
        var number = meeting.Consumers.Count + 1;
        var kind = channel.ToString().ToLowerInvariant();
        var consumer = new ChaosConsumer(
            $"{meeting.Name}.{kind}#{number}({role} {first.ReplicaId}{(readDelay > TimeSpan.Zero ? ", slow" : string.Empty)})",
            meeting, channel, first, Cluster, _report, _conditions, _random.Next(), readDelay);
        meeting.Add(consumer);
        consumer.Start();
        return consumer;
    }

    /// <summary>The replica that owns the meeting's session, once a live replica lists one.</summary>
    private async Task<GatewayReplica?> WaitForOwnerAsync(ChaosMeeting meeting)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if ((await Cluster.OwnersAsync()).TryGetValue(meeting.StreamId, out var ownerId) && Cluster.Replica(ownerId) is { HasExited: false } owner)
            {
                return owner;
            }
            await Task.Delay(200);
        }
        return null;
    }

    /// <summary>The gateway lost the meeting (already a violation): stop checking it, end it at Zoom, start another.</summary>
    private async Task AbandonAsync(ChaosMeeting meeting)
    {
        meeting.Abandoned = true;
        _report.Log($"{meeting}: abandoned (the gateway lost it); its consumers stop and a new meeting replaces it");
        await Task.WhenAll(meeting.Consumers.Select(c => c.RetireAsync()));
        if (meeting.Simulated.State is not (MeetingState.Stopped or MeetingState.Created))
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            await ((Task)meeting.Simulated.StopAsync(Protocol.StopReason.MeetingEnded, timeout.Token)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Every 100 ms: replicas that exited (a violation unless the schedule ended them; replaced either way),
    /// two live signaling connections for one stream, and duplicate handshakes (tolerated only during a partition).</summary>
    private async Task MonitorAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                CheckReplicas(replace: true);
                CheckSignaling();
                await Task.Delay(MonitorInterval, _stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _report.Log($"HARNESS: monitor error {ex}");
            }
        }
    }

    private void CheckReplicas(bool replace)
    {
        foreach (var slot in Cluster.Slots)
        {
            if (slot.Current is not { HasExited: true } replica || slot.Replacing is { IsCompleted: false })
            {
                continue;
            }
            var cause = Cluster.CauseOf(replica);
            if (cause == ExitCause.Crashed && _reported.Add("exit " + replica.ReplicaId))
            {
                _report.Violation(ViolationKind.ReplicaExited, $"{replica.ReplicaId} exited with code {replica.ExitCode} on its own (its whole output is in the log):\n{CrashExcerpt(replica)}");
            }
            if (replace)
            {
                _ = Cluster.ReplaceAsync(slot);
            }
        }
    }

    /// <summary>The first unhandled background-service exception the host logged (what stopped it), else the last lines.</summary>
    private static string CrashExcerpt(GatewayReplica replica)
    {
        var lines = replica.Output.Split('\n');
        var first = Array.FindIndex(lines, l => l.Contains("BackgroundService failed", StringComparison.Ordinal));
        return first >= 0
            ? string.Join('\n', lines.Skip(Math.Max(0, first - 1)).Take(8))
            : replica.OutputTail(15);
    }

    private void CheckSignaling()
    {
        foreach (var meeting in AllMeetings)
        {
            var counters = meeting.Simulated.Counters;
            if (counters.MaxLiveSignalingConnections > 1 && _reported.Add("two live " + meeting.StreamId))
            {
                _report.Violation(ViolationKind.TwoLiveSignalingConnections, $"{meeting}: {counters.MaxLiveSignalingConnections} signaling connections live at once; handshakes: {string.Join("; ", meeting.Simulated.SignalingAttempts.TakeLast(6))}");
            }
            var duplicates = counters.DuplicatesFlagged;
            var seen = _duplicatesSeen.GetValueOrDefault(meeting.StreamId);
            if (duplicates <= seen)
            {
                continue;
            }
            _duplicatesSeen[meeting.StreamId] = duplicates;
            var attempts = meeting.Simulated.SignalingAttempts.Where(a => a.Duplicate).TakeLast((int)(duplicates - seen));
            foreach (var attempt in attempts)
            {
                var replicas = Cluster.Slots.Select(s => s.Current).OfType<GatewayReplica>().ToList();
                var who = $" [duplicate from {SocketOwners.Find(attempt.RemoteEndpoint, replicas) ?? "(socket gone)"}, live one held by {SocketOwners.Find(attempt.LiveRemoteEndpoint!, replicas) ?? "(socket gone)"}]";
                var detail = $"{meeting}: {attempt}{who}";
                if (_partitioned)
                {
                    _report.Tolerated("duplicate signaling refused by Zoom during a partition", detail);
                }
                else
                {
                    _report.Violation(ViolationKind.DuplicateSignaling, $"{detail} — a second replica tried to talk to Zoom for the stream");
                }
            }
        }
    }

    /// <summary>Stops every live meeting (signaling first) at the end: each consumer must end with SessionEnded + OK.</summary>
    private async Task StopEveryMeetingAsync()
    {
        var live = LiveMeetings;
        await Task.WhenAll(live.Select(m => StopMeetingAsync(m, StopOrder.SignalingFirst)));
    }

    private static readonly IReadOnlyList<string> TranscriptLines = [.. Enumerable.Range(1, 8).Select(i =>
        $"Line {i}: " + string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog while the stand-up runs long; ", 14)))];

    public async ValueTask DisposeAsync()
    {
        var consumers = AllMeetings.SelectMany(m => m.Consumers).ToList();
        await Task.WhenAll(consumers.Select(c => c.RetireAsync()));
        // The processes must still run (and be watched) while the last verdicts see whether a replica was crashing under a call.
        await Task.WhenAll(consumers.Select(c => c.PendingVerdicts)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _stopping.CancelAsync();
        await _monitor.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_cluster is { } cluster)
        {
            CheckReplicas(replace: false);
            await cluster.DisposeAsync();
        }
        _stopping.Dispose();
    }
}
