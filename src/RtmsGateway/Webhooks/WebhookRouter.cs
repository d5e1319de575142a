using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using RtmsGateway.Api.V1;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using RtmsGateway.Protocol;
using RtmsGateway.Protocol.Webhooks;
using RtmsGateway.Rtms;
using RtmsGateway.Sessions;

namespace RtmsGateway.Webhooks;

/// <summary>
/// Turns accepted webhooks into what they ask for (§5), off the HTTP path so the endpoint answers Zoom within its 3 s
/// budget: <c>rtms_started</c> claims the stream (or, repeated with a new <c>event_ts</c>, redirects it: Zoom failed over);
/// <c>rtms_interrupted</c> reconnects it; <c>rtms_stopped</c> ends it. A command for a stream another replica runs is
/// forwarded there. A webhook that needs the ownership store while it is unreachable is kept and retried, in arrival
/// order per stream, for <see cref="RetryWindow"/>; webhooks for other streams are not held up meanwhile.
/// </summary>
internal sealed partial class WebhookRouter(
    SessionRegistry sessions, SessionDirectory directory, IOwnershipStore ownership, ISessionCommandBus bus, DrainState drain,
    IOptions<ZoomOptions> zoom, RtmsConnector connector, TimeProvider time, GatewayMetrics metrics, ILogger<WebhookRouter> logger) : BackgroundService
{
    private const int InboxCapacity = 10_000;

    /// <summary>How long a webhook is retried while the ownership store is unreachable (Zoom keeps a stream's signaling
    /// window open about a minute).</summary>
    public static readonly TimeSpan RetryWindow = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(500);

    private readonly Channel<QueuedWebhook> _inbox = Channel.CreateBounded<QueuedWebhook>(new BoundedChannelOptions(InboxCapacity) { SingleReader = true });
    private readonly WebhookDeduplicator _deduplicator = new(time, zoom.Value.WebhookDeduplicationCapacity);

    /// <summary>Webhooks waiting for the ownership store, per stream, oldest first (touched by the router loop only).</summary>
    private readonly Dictionary<string, Queue<(QueuedWebhook Webhook, long Since)>> _deferred = new(StringComparer.Ordinal);

    /// <summary>A verified webhook, with the span of the HTTP request that brought it (its handling continues that trace).</summary>
    private readonly record struct QueuedWebhook(ZoomWebhookEvent Event, ActivityContext Trace);

    /// <summary>Queues a verified webhook. False when the inbox is full (the endpoint answers 503 and Zoom retries).</summary>
    public bool TryAccept(ZoomWebhookEvent evt) => _inbox.Writer.TryWrite(new QueuedWebhook(evt, Activity.Current?.Context ?? default));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await NextAsync(stoppingToken) is { } webhook)
                {
                    if (_deduplicator.FirstTime(webhook.Event))
                    {
                        await HandleInOrderAsync(webhook, stoppingToken);
                    }
                    else
                    {
                        LogDuplicate(webhook.Event.Event, webhook.Event.RtmsStreamId, webhook.Event.EventTimestamp);
                    }
                }
                await RetryDeferredAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Never: every webhook's failure is caught below. Still, the router must outlive any defect.
                metrics.BackgroundFailure("webhook_router");
                LogLoopFailed(ex);
            }
        }
    }

    /// <summary>The next webhook, or null after a retry interval when webhooks are waiting for the store.</summary>
    private async Task<QueuedWebhook?> NextAsync(CancellationToken ct)
    {
        if (_inbox.Reader.TryRead(out var ready))
        {
            return ready;
        }
        if (_deferred.Count == 0)
        {
            return await _inbox.Reader.ReadAsync(ct);
        }
        using var wait = new Timing.TimeoutScope(RetryInterval, time, ct);
        try
        {
            return await _inbox.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (wait.TimedOut && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task HandleInOrderAsync(QueuedWebhook webhook, CancellationToken ct)
    {
        var streamId = webhook.Event.RtmsStreamId ?? string.Empty;
        if (_deferred.TryGetValue(streamId, out var waiting))
        {
            // An earlier webhook of this stream waits for the store: this one must not overtake it.
            waiting.Enqueue((webhook, time.GetTimestamp()));
            return;
        }
        if (!await TryHandleAsync(webhook, retry: false, ct))
        {
            _deferred[streamId] = new Queue<(QueuedWebhook, long)>([(webhook, time.GetTimestamp())]);
        }
    }

    private async Task RetryDeferredAsync(CancellationToken ct)
    {
        foreach (var (streamId, waiting) in _deferred.ToList())
        {
            while (waiting.TryPeek(out var next))
            {
                if (time.GetElapsedTime(next.Since) > RetryWindow)
                {
                    waiting.Dequeue();
                    metrics.Webhook("dropped_store_unavailable");
                    LogGaveUp(next.Webhook.Event.Event, streamId, RetryWindow.TotalSeconds);
                    continue;
                }
                if (!await TryHandleAsync(next.Webhook, retry: true, ct))
                {
                    break;
                }
                waiting.Dequeue();
            }
            if (waiting.Count == 0)
            {
                _deferred.Remove(streamId);
            }
        }
    }

    /// <summary>Handles one webhook. False when it needs the ownership store and the store is unreachable (retry later).</summary>
    private async Task<bool> TryHandleAsync(QueuedWebhook webhook, bool retry, CancellationToken ct)
    {
        var evt = webhook.Event;
        using var span = GatewayTracing.Start(GatewayTracing.Webhook, evt.RtmsStreamId, webhook.Trace);
        span?.SetTag("rtms.event", evt.Event);
        span?.SetTag("rtms.event_ts", evt.EventTimestamp);
        try
        {
            await HandleAsync(evt, ct);
            return true;
        }
        catch (OwnershipStoreUnavailableException ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, "the ownership store is unreachable; retried");
            if (!retry)
            {
                LogDeferred(evt.Event, evt.RtmsStreamId, ex.Message);
            }
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            metrics.BackgroundFailure("webhook_router");
            LogWebhookFailed(ex, evt.Event, evt.RtmsStreamId);
            return true;
        }
    }

    private async Task HandleAsync(ZoomWebhookEvent evt, CancellationToken ct)
    {
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
        if (sessions.TryApply(command))
        {
            return;
        }
        var owned = await ownership.GetAsync(command.StreamId, ct);
        if (owned?.OwnerReplicaId is { } owner && owner != sessions.ReplicaId)
        {
            LogForwarded(webhookEvent, command.StreamId, owner);
            await bus.PublishAsync(command, owner, ct);
            return;
        }
        if (command.Kind == SessionCommandKind.Stop)
        {
            if (directory.FindByStream(command.StreamId) is { } hub)
            {
                hub.Complete(command.StopReason, RtmsStopResult.Describe(command.StopReason));
                if (hub.IsRevoked)
                {
                    directory.Remove(hub);
                }
            }
            await ownership.ForgetAsync(command.StreamId, ct);
        }
        else if (owned is null)
        {
            LogUnknownStream(webhookEvent, command.StreamId);
        }
        // A reconnect for an orphaned stream needs nothing: whoever takes it over connects afresh.
    }

    private async Task HandleStartedAsync(ZoomWebhookEvent evt, CancellationToken ct)
    {
        var url = evt.SelectSignalingUrl(zoom.Value.AllowInsecureRtmsUrls);
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var parsed))
        {
            LogNoSignalingUrl(evt.RtmsStreamId!, string.Join(",", evt.ServerUrls));
            return;
        }
        if (connector.Policy.Refusal(parsed) is { } refusal)
        {
            // Never dialled, never stored: no replica takes it over either.
            metrics.Webhook("url_refused");
            LogUrlRefused(evt.RtmsStreamId!, parsed.Authority, refusal);
            return;
        }
        var record = SessionRecord.FromWebhook(evt, url, time.GetUtcNow());
        var redirect = new SessionCommand(record.StreamId, SessionCommandKind.Redirect, evt.EventTimestamp, url);
        if (sessions.IsRunning(record.StreamId))
        {
            if (sessions.TryApply(redirect))
            {
                // Store the new URL with the record, so a later takeover dials the right server.
                if (await ownership.GetAsync(record.StreamId, ct) is { } stored)
                {
                    await ownership.RegisterAsync(stored.Record with { SignalingUrl = url, EventTimestamp = evt.EventTimestamp }, ct);
                }
            }
            return;
        }
        if (drain.IsDraining || sessions.AtSessionLimit)
        {
            // Leave the session to another replica: takeover picks up a record without a lease.
            if (sessions.AtSessionLimit)
            {
                metrics.LimitRejected("sessions");
                LogAtLimit(record.StreamId);
            }
            await ownership.RegisterAsync(record, ct);
            return;
        }
        var existing = await ownership.GetAsync(record.StreamId, ct);
        if (existing is { OwnerReplicaId: { } owner } && owner != sessions.ReplicaId)
        {
            if (existing.Record.IsFailover(evt.EventTimestamp, url))
            {
                // Zoom failed over, and told a replica that does not run the stream: store the new URL, tell the owner.
                await ownership.RegisterAsync(existing.Record with { SignalingUrl = url, EventTimestamp = evt.EventTimestamp }, ct);
                LogForwarded(evt.Event, record.StreamId, owner);
                await bus.PublishAsync(redirect, owner, ct);
            }
            else
            {
                LogOwnedElsewhere(record.StreamId);
            }
            return;
        }
        OwnershipLease? lease;
        using (var claim = GatewayTracing.Start(GatewayTracing.Claim, record.StreamId))
        {
            lease = await ownership.TryAcquireAsync(record, sessions.ReplicaId, ct);
            claim?.SetTag(GatewayTracing.EpochTag, lease is null ? null : (long)lease.Epoch);
        }
        if (lease is null)
        {
            LogOwnedElsewhere(record.StreamId);
            return;
        }
        sessions.Start(record, lease, SessionChange.Started);
    }

    [LoggerMessage(EventId = LogEventIds.WebhookDuplicate, Level = LogLevel.Information, Message = "Ignored a repeated {Event} for {StreamId} (event_ts {EventTs}): a Zoom retry")]
    private partial void LogDuplicate(string @event, string? streamId, long eventTs);

    [LoggerMessage(EventId = LogEventIds.WebhookOwnedElsewhere, Level = LogLevel.Information, Message = "Session {StreamId} is owned by another replica")]
    private partial void LogOwnedElsewhere(string streamId);

    [LoggerMessage(EventId = LogEventIds.WebhookUnknownStream, Level = LogLevel.Warning, Message = "{Event} for unknown stream {StreamId}")]
    private partial void LogUnknownStream(string @event, string streamId);

    [LoggerMessage(EventId = LogEventIds.WebhookNoSignalingUrl, Level = LogLevel.Error, Message = "Session {StreamId}: no usable signaling URL in server_urls '{ServerUrls}' (wss required unless Zoom:AllowInsecureRtmsUrls)")]
    private partial void LogNoSignalingUrl(string streamId, string serverUrls);

    [LoggerMessage(EventId = LogEventIds.WebhookUrlRefused, Level = LogLevel.Error, Message = "Session {StreamId} refused: its signaling server {Authority} is outside the RTMS URL policy ({Refusal})")]
    private partial void LogUrlRefused(string streamId, string authority, string refusal);

    [LoggerMessage(EventId = LogEventIds.WebhookZoomWarning, Level = LogLevel.Warning, Message = "Zoom reported {Event} (concurrency {Number} of {Limit})")]
    private partial void LogZoomWarning(string @event, int? number, int? limit);

    [LoggerMessage(EventId = LogEventIds.WebhookFailed, Level = LogLevel.Error, Message = "Processing {Event} for {StreamId} failed")]
    private partial void LogWebhookFailed(Exception ex, string @event, string? streamId);

    [LoggerMessage(EventId = LogEventIds.WebhookAtLimit, Level = LogLevel.Warning, Message = "Session {StreamId} left to other replicas: this one serves its maximum of sessions")]
    private partial void LogAtLimit(string streamId);

    [LoggerMessage(EventId = LogEventIds.WebhookForwarded, Level = LogLevel.Information, Message = "Forwarded {Event} for {StreamId} to its owner {Owner}")]
    private partial void LogForwarded(string @event, string streamId, string owner);

    [LoggerMessage(EventId = LogEventIds.WebhookDeferred, Level = LogLevel.Warning, Message = "{Event} for {StreamId} waits for the ownership store ({Error}); retrying")]
    private partial void LogDeferred(string @event, string? streamId, string error);

    [LoggerMessage(EventId = LogEventIds.WebhookGaveUp, Level = LogLevel.Error, Message = "{Event} for {StreamId} dropped: the ownership store stayed unreachable for {Seconds} s")]
    private partial void LogGaveUp(string @event, string streamId, double seconds);

    [LoggerMessage(EventId = LogEventIds.WebhookRouterFailed, Level = LogLevel.Error, Message = "The webhook router failed; it goes on")]
    private partial void LogLoopFailed(Exception ex);
}
