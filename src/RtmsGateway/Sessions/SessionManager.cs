using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using GrpcStatusCode = Grpc.Core.StatusCode;
using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;
using RtmsGateway.Hosting;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using RtmsGateway.Protocol;
using RtmsGateway.Protocol.Webhooks;
using RtmsGateway.Rtms;
using RtmsGateway.Webhooks;

namespace RtmsGateway.Sessions;

/// <summary>
/// Turns accepted webhooks into running sessions (§5): <c>rtms_started</c> claims ownership and starts an RTMS client and
/// hub; a repeated <c>rtms_started</c> with a new <c>event_ts</c> redirects the client (Zoom failover); <c>rtms_interrupted</c>
/// reconnects at once; <c>rtms_stopped</c> ends the session. Webhooks are processed in arrival order off the HTTP path,
/// so the webhook endpoint answers Zoom within its 3 s budget. Keeps each lease renewed and stops the RTMS connection
/// the moment the lease is lost.
/// </summary>
internal sealed partial class SessionManager : BackgroundService
{
    private const int InboxCapacity = 10_000;
    private readonly Channel<ZoomWebhookEvent> _inbox = Channel.CreateBounded<ZoomWebhookEvent>(new BoundedChannelOptions(InboxCapacity) { SingleReader = true });
    private readonly ConcurrentDictionary<string, SessionRun> _runs = new(StringComparer.Ordinal);
    private readonly SessionDirectory _directory;
    private readonly ISessionCatalog _catalog;
    private readonly SessionWatchers _watchers;
    private readonly IOwnershipStore _ownership;
    private readonly ISessionCommandBus _bus;
    private readonly DrainState _drain;
    private readonly IOptions<ZoomOptions> _zoom;
    private readonly IOptions<RtmsClientOptions> _rtms;
    private readonly IOptions<FanoutOptions> _fanout;
    private readonly IOptions<GatewayOptions> _gateway;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<SessionManager> _logger;
    private readonly TimeProvider _time;
    private readonly WebhookDeduplicator _deduplicator;
    private readonly GatewayMetrics _metrics;
    private CancellationToken _stopping;

    public SessionManager(
        SessionDirectory directory, ISessionCatalog catalog, SessionWatchers watchers, IOwnershipStore ownership, ISessionCommandBus bus, DrainState drain, IOptions<ZoomOptions> zoom, IOptions<RtmsClientOptions> rtms,
        IOptions<FanoutOptions> fanout, IOptions<GatewayOptions> gateway, ILoggerFactory loggers, TimeProvider time, GatewayMetrics metrics)
    {
        _metrics = metrics;
        metrics.Observe(() => _runs.Count, () => PerChannel(directory, c => c.SubscriberCount), () => PerChannel(directory, c => c.RetainedBytes));
        _directory = directory;
        _catalog = catalog;
        _watchers = watchers;
        _ownership = ownership;
        _bus = bus;
        // Webhooks that landed on another replica, for streams that may run here.
        bus.OnCommand(command => TryApply(command));
        _drain = drain;
        _zoom = zoom;
        _rtms = rtms;
        _fanout = fanout;
        _gateway = gateway;
        _loggers = loggers;
        _logger = loggers.CreateLogger<SessionManager>();
        _time = time;
        _deduplicator = new WebhookDeduplicator(time);
    }

    private bool AtSessionLimit => _gateway.Value.MaxSessions > 0 && _runs.Count >= _gateway.Value.MaxSessions;

    /// <summary>Sessions whose RTMS connection runs on this replica.</summary>
    public int ActiveRuns => _runs.Count;

    /// <summary>Queues a verified webhook. False when the inbox is full (the endpoint answers 503 and Zoom retries).</summary>
    public bool TryAccept(ZoomWebhookEvent evt) => _inbox.Writer.TryWrite(evt);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        try
        {
            await foreach (var evt in _inbox.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await HandleAsync(evt, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogWebhookFailed(ex, evt.Event, evt.RtmsStreamId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _drain.BeginDrain();
        // Snapshot first: stopping the base service cancels every run (their tokens are linked), and runs leave _runs.
        var runs = _runs.Values.ToArray();
        await base.StopAsync(cancellationToken);
        await DrainAsync(runs, cancellationToken);
    }

    private async Task HandleAsync(ZoomWebhookEvent evt, CancellationToken ct)
    {
        if (!_deduplicator.FirstTime(evt))
        {
            LogDuplicate(evt.Event, evt.RtmsStreamId, evt.EventTimestamp);
            return;
        }
        var streamId = evt.RtmsStreamId ?? string.Empty;
        switch (evt.Kind)
        {
            case WebhookEventKind.RtmsStarted:
                await HandleStartedAsync(evt, ct);
                break;
            case WebhookEventKind.RtmsInterrupted:
                await RouteAsync(new SessionCommand(streamId, SessionCommandKind.Reconnect, evt.EventTimestamp), evt.Event, ct);
                break;
            case WebhookEventKind.RtmsStopped:
                await RouteAsync(new SessionCommand(streamId, SessionCommandKind.Stop, evt.EventTimestamp, StopReason: evt.StopReason ?? StopReason.Undefined), evt.Event, ct);
                break;
            case WebhookEventKind.ConcurrencyNearLimit:
            case WebhookEventKind.ConcurrencyLimited:
            case WebhookEventKind.StartFailed:
                LogZoomWarning(evt.Event, evt.ConcurrencyNumber, evt.ConcurrencyLimit);
                break;
        }
    }

    /// <summary>Applies <paramref name="command"/> if the stream runs here, else forwards it to the replica that runs it.
    /// A stop for a stream nobody runs forgets it, so no replica takes it over.</summary>
    private async Task RouteAsync(SessionCommand command, string webhookEvent, CancellationToken ct)
    {
        if (TryApply(command))
        {
            return;
        }
        var ownership = await _ownership.GetAsync(command.StreamId, ct);
        if (ownership?.OwnerReplicaId is { } owner && owner != _gateway.Value.ReplicaId)
        {
            LogForwarded(webhookEvent, command.StreamId, owner);
            await _bus.PublishAsync(command, ct);
            return;
        }
        if (command.Kind == SessionCommandKind.Stop)
        {
            if (_directory.FindByStream(command.StreamId) is { } hub)
            {
                hub.Complete(command.StopReason, RtmsStopResult.Describe(command.StopReason));
                if (hub.IsRevoked)
                {
                    _directory.Remove(hub);
                }
            }
            await _ownership.ForgetAsync(command.StreamId, ct);
        }
        else if (ownership is null)
        {
            LogUnknownStream(webhookEvent, command.StreamId);
        }
        // A reconnect for an orphaned stream needs nothing: whoever takes it over connects afresh.
    }

    /// <summary>Applies a command to the stream's run on this replica, once per webhook delivery. False when the stream does not run here.</summary>
    private bool TryApply(SessionCommand command)
    {
        if (!_runs.TryGetValue(command.StreamId, out var run))
        {
            return false;
        }
        if (!run.FirstTime(command))
        {
            LogCommandRepeated(command.Kind, command.StreamId, command.EventTimestamp);
            return true;
        }
        switch (command.Kind)
        {
            case SessionCommandKind.Redirect when Uri.TryCreate(command.SignalingUrl, UriKind.Absolute, out var url):
                // A new rtms_started for a stream we already serve: Zoom's RTMS server failed over (§5.2).
                LogFailover(command.StreamId, url.Host);
                run.Client.Redirect(url);
                break;
            case SessionCommandKind.Reconnect:
                run.Client.RequestReconnect("rtms_interrupted webhook");
                break;
            case SessionCommandKind.Stop:
                run.Client.Stop(command.StopReason);
                break;
        }
        return true;
    }

    private async Task HandleStartedAsync(ZoomWebhookEvent evt, CancellationToken ct)
    {
        var url = evt.SelectSignalingUrl(_zoom.Value.AllowInsecureRtmsUrls);
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            LogNoSignalingUrl(evt.RtmsStreamId!, string.Join(",", evt.ServerUrls));
            return;
        }
        var record = SessionRecord.FromWebhook(evt, url, _time.GetUtcNow());
        var redirect = new SessionCommand(record.StreamId, SessionCommandKind.Redirect, evt.EventTimestamp, url);
        if (_runs.TryGetValue(record.StreamId, out var run))
        {
            if (TryApply(redirect))
            {
                // Store the new URL with the lease, so a later takeover dials the right server.
                await _ownership.TryAcquireAsync(run.Lease.Record with { SignalingUrl = url, EventTimestamp = evt.EventTimestamp }, _gateway.Value.ReplicaId, ct);
            }
            return;
        }
        if (_drain.IsDraining || AtSessionLimit)
        {
            // Leave the session to another replica: takeover picks up a record without a lease.
            if (AtSessionLimit)
            {
                _metrics.LimitRejected("sessions");
                LogAtLimit(record.StreamId, _gateway.Value.MaxSessions);
            }
            await _ownership.RegisterAsync(record, ct);
            return;
        }
        var existing = await _ownership.GetAsync(record.StreamId, ct);
        if (existing is { OwnerReplicaId: { } owner } && owner != _gateway.Value.ReplicaId)
        {
            if (IsFailover(evt.EventTimestamp, url, existing.Record))
            {
                // Zoom failed over, and told a replica that does not run the stream: store the new URL, tell the owner.
                await _ownership.RegisterAsync(existing.Record with { SignalingUrl = url, EventTimestamp = evt.EventTimestamp }, ct);
                LogForwarded(evt.Event, record.StreamId, owner);
                await _bus.PublishAsync(redirect, ct);
            }
            else
            {
                LogOwnedElsewhere(record.StreamId);
            }
            return;
        }
        var lease = await _ownership.TryAcquireAsync(record, _gateway.Value.ReplicaId, ct);
        if (lease is null)
        {
            LogOwnedElsewhere(record.StreamId);
            return;
        }
        Start(record, lease, Api.V1.SessionChange.Started);
    }

    /// <summary>A repeated <c>rtms_started</c> is a failover when it is newer than what is stored, or names another server.</summary>
    private static bool IsFailover(long eventTimestamp, string signalingUrl, SessionRecord stored) =>
        eventTimestamp > stored.EventTimestamp || (eventTimestamp == stored.EventTimestamp && !string.Equals(signalingUrl, stored.SignalingUrl, StringComparison.Ordinal));

    /// <summary>Claims a session whose owner died or drained, and connects to it (cluster takeover).</summary>
    public async Task TryTakeOverAsync(SessionRecord record, CancellationToken ct)
    {
        if (_drain.IsDraining || AtSessionLimit || _runs.ContainsKey(record.StreamId))
        {
            return;
        }
        var lease = await _ownership.TryAcquireAsync(record, _gateway.Value.ReplicaId, ct);
        if (lease is null)
        {
            return;
        }
        LogTakeover(record.StreamId, lease.Epoch);
        Start(record, lease, Api.V1.SessionChange.OwnerChanged);
    }

    private void Start(SessionRecord record, OwnershipLease lease, Api.V1.SessionChange change)
    {
        var hub = new SessionHub(record, lease.Epoch, lease.ReplicaId, _fanout.Value, _time, (h, change) => _catalog.Announce(h.Snapshot(), change), _metrics);
        var zoom = _zoom.Value;
        var client = new RtmsStreamClient(
            new RtmsStreamTarget(record.InstanceId, record.StreamId, new Uri(record.SignalingUrl), record.Product),
            _rtms.Value,
            new ZoomCredentials(zoom.ClientId!, zoom.ClientSecret!),
            hub,
            _loggers.CreateLogger<RtmsStreamClient>(),
            _time,
            _metrics);
        hub.ReconnectCounter = () => client.Reconnects;
        var run = new SessionRun(hub, client, lease, CancellationTokenSource.CreateLinkedTokenSource(_stopping));
        _runs[record.StreamId] = run;
        _directory.Add(hub);
        _catalog.Announce(hub.Snapshot(), change);
        LogStarted(record.StreamId, record.InstanceId, lease.Epoch);
        run.Completion = RunAsync(run);
    }

    private async Task RunAsync(SessionRun run)
    {
        var leaseKeeper = KeepLeaseAsync(run);
        try
        {
            var result = await run.Client.RunAsync(run.Cancellation.Token);
            run.Hub.Complete(result.Reason, result.Description);
            LogStopped(run.Hub.StreamId, (int)result.Reason, result.Description);
            await _ownership.ForgetAsync(run.Hub.StreamId, CancellationToken.None);
        }
        catch (OperationCanceledException) when (run.Cancellation.IsCancellationRequested)
        {
            // Drain or lost lease: the session lives on elsewhere; subscribers reconnect and resume there.
            run.Hub.AbortSubscribers(new RpcException(new Status(GrpcStatusCode.Unavailable, run.LeaseLost ? "This replica lost ownership of the session; reconnect." : "This replica is shutting down; reconnect.")));
            if (!run.LeaseLost)
            {
                // The RTMS connection is closed by now: hand the session over at once instead of waiting for the TTL.
                await ReleaseAsync(run);
            }
        }
        catch (Exception ex)
        {
            LogRunFailed(ex, run.Hub.StreamId);
            run.Hub.Complete(StopReason.InternalException, "gateway error: " + ex.Message);
        }
        finally
        {
            await run.Cancellation.CancelAsync();
            await leaseKeeper;
            _runs.TryRemove(new KeyValuePair<string, SessionRun>(run.Hub.StreamId, run));
            run.Cancellation.Dispose();
            if (run.Hub.IsStopped && !run.Hub.IsRevoked)
            {
                _ = ForgetLaterAsync(run.Hub);
            }
            else
            {
                _directory.Remove(run.Hub);
            }
        }
    }

    /// <summary>Renews the lease every third of its TTL. A renewal the store refuses means another replica owns the stream: stop at once.</summary>
    private async Task KeepLeaseAsync(SessionRun run)
    {
        var interval = _ownership.LeaseTtl / 3;
        try
        {
            while (!run.Cancellation.IsCancellationRequested)
            {
                await Task.Delay(interval, _time, run.Cancellation.Token);
                bool renewed;
                try
                {
                    renewed = await _ownership.RenewAsync(run.Lease, run.Cancellation.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The store is unreachable: nobody can take the lease over meanwhile, so keep streaming and retry.
                    LogRenewUnavailable(run.Hub.StreamId, ex.Message);
                    _metrics.LeaseFailed("unavailable");
                    continue;
                }
                if (renewed)
                {
                    _metrics.LeaseRenewed();
                }
                else
                {
                    _metrics.LeaseFailed("lost");
                    LogLeaseLost(run.Hub.StreamId, run.Lease.Epoch);
                    run.LeaseLost = true;
                    await run.Cancellation.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ForgetLaterAsync(SessionHub hub)
    {
        try
        {
            await Task.Delay(_fanout.Value.StoppedSessionRetention, _time, _stopping);
        }
        catch (OperationCanceledException)
        {
        }
        _directory.Remove(hub);
    }

    /// <summary>Graceful drain: every run closes its RTMS connection without ending the stream and releases its lease
    /// (see <see cref="RunAsync"/>), so another replica takes over promptly. Waits for them, then ends watch calls.</summary>
    private async Task DrainAsync(SessionRun[] runs, CancellationToken ct)
    {
        foreach (var run in runs)
        {
            try
            {
                await (run.Completion ?? Task.CompletedTask).WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                LogReleaseFailed(run.Hub.StreamId, "drain timed out");
            }
        }
        _watchers.AbortAll(new RpcException(new Status(GrpcStatusCode.Unavailable, "This replica is shutting down; reconnect.")));
        LogDrained(runs.Length);
    }

    private async Task ReleaseAsync(SessionRun run)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _ownership.ReleaseAsync(run.Lease, timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogReleaseFailed(run.Hub.StreamId, ex.Message);
        }
    }

    /// <summary>A figure summed per channel over this replica's hubs (metrics).</summary>
    private static IEnumerable<(string Channel, long Value)> PerChannel(SessionDirectory directory, Func<SessionChannel<EncodedMessage>, long> figure)
    {
        var hubs = directory.Hubs.ToList();
        yield return ("audio", hubs.Sum(h => figure(h.Audio)));
        yield return ("video", hubs.Sum(h => figure(h.Video)));
        yield return ("transcripts", hubs.Sum(h => figure(h.Transcripts)));
        yield return ("events", hubs.Sum(h => figure(h.Events)));
    }

    private sealed class SessionRun(SessionHub hub, RtmsStreamClient client, OwnershipLease lease, CancellationTokenSource cancellation)
    {
        public SessionHub Hub { get; } = hub;

        public RtmsStreamClient Client { get; } = client;

        public OwnershipLease Lease { get; } = lease;

        public CancellationTokenSource Cancellation { get; } = cancellation;

        public Task? Completion { get; set; }

        public bool LeaseLost { get; set; }

        private readonly Dictionary<SessionCommandKind, long> _applied = [];
        private SessionRecord _signaling = lease.Record;

        /// <summary>True for the first delivery of a webhook's command (Zoom retries, and a webhook sent to every replica
        /// reaches the owner once directly and again forwarded). A redirect counts once per failover (see <see cref="IsFailover"/>).</summary>
        public bool FirstTime(SessionCommand command)
        {
            lock (_applied)
            {
                if (command.Kind == SessionCommandKind.Redirect)
                {
                    if (!IsFailover(command.EventTimestamp, command.SignalingUrl ?? string.Empty, _signaling))
                    {
                        return false;
                    }
                    _signaling = _signaling with { EventTimestamp = command.EventTimestamp, SignalingUrl = command.SignalingUrl ?? string.Empty };
                    return true;
                }
                if (_applied.TryGetValue(command.Kind, out var last) && command.EventTimestamp <= last)
                {
                    return false;
                }
                _applied[command.Kind] = command.EventTimestamp;
                return true;
            }
        }
    }
}
