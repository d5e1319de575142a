using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using RtmsGateway.Api.V1;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using RtmsGateway.Sessions.Lifecycle;

namespace RtmsGateway.Sessions;

/// <summary>
/// The streams whose RTMS connection runs on this replica: starts them (on a webhook, or taking over an orphan), hands
/// them webhook commands (local, or forwarded by other replicas), keeps their hubs listed, and on shutdown drains them:
/// every stream closes its RTMS connection without ending it and releases its lease, so another replica takes it over.
/// </summary>
internal sealed partial class SessionRegistry : IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<string, StreamSession> _runs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<StreamSession, Task> _completions = new();
    private readonly SessionDirectory _directory;
    private readonly StreamSessionFactory _factory;
    private readonly IOwnershipStore _ownership;
    private readonly ISessionCatalog _catalog;
    private readonly SessionWatchers _watchers;
    private readonly DrainState _drain;
    private readonly IOptions<GatewayOptions> _gateway;
    private readonly IOptions<FanoutOptions> _fanout;
    private readonly TimeProvider _time;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<SessionRegistry> _logger;
    private readonly CancellationTokenSource _stopping = new();

    public SessionRegistry(
        SessionDirectory directory, StreamSessionFactory factory, IOwnershipStore ownership, ISessionCatalog catalog, SessionWatchers watchers, ISessionCommandBus bus,
        DrainState drain, IOptions<GatewayOptions> gateway, IOptions<FanoutOptions> fanout, TimeProvider time, GatewayMetrics metrics, ILogger<SessionRegistry> logger)
    {
        _directory = directory;
        _factory = factory;
        _ownership = ownership;
        _catalog = catalog;
        _watchers = watchers;
        _drain = drain;
        _gateway = gateway;
        _fanout = fanout;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        metrics.Observe(() => _runs.Count, () => PerChannel(c => c.SubscriberCount), () => PerChannel(c => c.RetainedBytes));
        // Webhooks that landed on another replica, for streams that may run here.
        bus.OnCommand(command => TryApply(command));
    }

    public string ReplicaId => _gateway.Value.ReplicaId;

    /// <summary>Streams whose RTMS connection runs here.</summary>
    public int Count => _runs.Count;

    public bool AtSessionLimit => _gateway.Value.MaxSessions > 0 && _runs.Count >= _gateway.Value.MaxSessions;

    public bool IsRunning(string streamId) => _runs.ContainsKey(streamId);

    /// <summary>Applies a webhook's command to the stream if it runs here. False when it does not run here.</summary>
    public bool TryApply(SessionCommand command)
    {
        if (!_runs.TryGetValue(command.StreamId, out var session))
        {
            return false;
        }
        if (!session.Apply(command))
        {
            LogCommandRepeated(command.Kind, command.StreamId, command.EventTimestamp);
        }
        return true;
    }

    /// <summary>Claims a stream whose owner died or drained, and connects to it (cluster takeover).</summary>
    public async Task TryTakeOverAsync(SessionRecord record, CancellationToken ct)
    {
        if (_drain.IsDraining || AtSessionLimit || _runs.ContainsKey(record.StreamId))
        {
            return;
        }
        using var takeover = GatewayTracing.Start(GatewayTracing.Takeover, record.StreamId, parent: default);
        OwnershipLease? lease;
        using (var claim = GatewayTracing.Start(GatewayTracing.Claim, record.StreamId))
        {
            lease = await _ownership.TryAcquireAsync(record, ReplicaId, ct);
            claim?.SetTag(GatewayTracing.EpochTag, lease is null ? null : (long)lease.Epoch);
        }
        if (lease is null)
        {
            takeover?.SetTag("rtms.claimed", false);
            return;
        }
        LogTakeover(record.StreamId, lease.Epoch);
        Start(record, lease, SessionChange.OwnerChanged);
    }

    /// <summary>Runs a stream this replica just acquired the lease of.</summary>
    public void Start(SessionRecord record, OwnershipLease lease, SessionChange change)
    {
        var session = _factory.Create(record, lease);
        if (!_runs.TryAdd(record.StreamId, session))
        {
            return;
        }
        _directory.Add(session.Hub);
        _catalog.Announce(session.Hub.Snapshot(), change);
        LogStarted(record.StreamId, record.InstanceId, lease.Epoch);
        session.TraceStart(takeover: change == SessionChange.OwnerChanged);
        // The session outlives the span that started it (a webhook's, a takeover's): it must not run under it.
        var ambient = Activity.Current;
        Activity.Current = null;
        try
        {
            _completions[session] = RunAsync(session);
        }
        finally
        {
            Activity.Current = ambient;
        }
    }

    private async Task RunAsync(StreamSession session)
    {
        await Task.Yield();
        var ending = await session.RunAsync();
        _runs.TryRemove(new KeyValuePair<string, StreamSession>(session.StreamId, session));
        _completions.TryRemove(session, out _);
        if (ending is StreamEnding.Finished && !session.Hub.IsRevoked)
        {
            // Kept for a while so late subscribers can drain the replay buffer, then forgotten.
            _ = ForgetLaterAsync(session.Hub);
        }
        else
        {
            _directory.Remove(session.Hub);
        }
    }

    private async Task ForgetLaterAsync(SessionHub hub)
    {
        try
        {
            await Task.Delay(_fanout.Value.StoppedSessionRetention, _time, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }
        _directory.Remove(hub);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Graceful drain: every stream closes its RTMS connection and releases its lease, so another replica takes it
    /// over promptly; their subscribers get UNAVAILABLE with a resume point. Then watch calls end.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _drain.BeginDrain();
        var runs = _completions.ToArray();
        foreach (var (session, _) in runs)
        {
            session.Drain();
        }
        try
        {
            await Task.WhenAll(runs.Select(r => r.Value)).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            LogDrainTimedOut(runs.Count(r => !r.Value.IsCompleted));
        }
        _watchers.AbortAll(new SessionUnavailableException("This replica is shutting down; watch again elsewhere.", draining: true));
        await _stopping.CancelAsync();
        LogDrained(runs.Length);
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>A figure summed per channel over this replica's hubs (metrics).</summary>
    private IEnumerable<(string Channel, long Value)> PerChannel(Func<SessionChannel<EncodedMessage>, long> figure)
    {
        var hubs = _directory.Hubs.ToList();
        yield return ("audio", hubs.Sum(h => figure(h.Audio) + h.AudioConversions.Sum(figure)));
        yield return ("video", hubs.Sum(h => figure(h.Video)));
        yield return ("transcripts", hubs.Sum(h => figure(h.Transcripts)));
        yield return ("events", hubs.Sum(h => figure(h.Events)));
    }

    [LoggerMessage(EventId = LogEventIds.SessionStarted, Level = LogLevel.Information, Message = "Session {StreamId} of {InstanceId} started here (epoch {Epoch})")]
    private partial void LogStarted(string streamId, string instanceId, ulong epoch);

    [LoggerMessage(EventId = LogEventIds.SessionTakenOver, Level = LogLevel.Warning, Message = "Session {StreamId}: took over from a replica that is gone (epoch {Epoch})")]
    private partial void LogTakeover(string streamId, ulong epoch);

    [LoggerMessage(EventId = LogEventIds.CommandRepeated, Level = LogLevel.Debug, Message = "Ignored a repeated {Command} for {StreamId} (event_ts {EventTs})")]
    private partial void LogCommandRepeated(SessionCommandKind command, string streamId, long eventTs);

    [LoggerMessage(EventId = LogEventIds.Drained, Level = LogLevel.Information, Message = "Drained: handed over {Count} sessions")]
    private partial void LogDrained(int count);

    [LoggerMessage(EventId = LogEventIds.DrainTimedOut, Level = LogLevel.Warning, Message = "Drain timed out with {Count} sessions still closing; their leases expire on their own")]
    private partial void LogDrainTimedOut(int count);
}
