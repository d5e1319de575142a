using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RtmsGateway.Api.V1;
using RtmsGateway.Configuration;
using RtmsGateway.Grpc.Relay;
using RtmsGateway.Sessions;

namespace RtmsGateway.Grpc;

/// <summary>
/// The public API (<c>rtms.gateway.v1.RtmsGatewayService</c>): session discovery and the four subscriptions. A session
/// this replica owns is served from its hub; one owned elsewhere is relayed from its owner (cluster mode).
/// </summary>
internal sealed class GatewayGrpcService(
    SessionDirectory directory, ISessionCatalog catalog, SessionWatchers watchers, SubscriptionPump pump, IHostApplicationLifetime lifetime,
    ConsumerAuthorizer authorizer, IOptions<RtmsClientOptions> rtmsOptions, SessionRelay? relay = null) : GatewayServiceBinding.ServiceBase
{
    public override async Task<ListSessionsResponse> ListSessions(ListSessionsRequest request, ServerCallContext context)
    {
        var policy = authorizer.Authenticate(context);
        // The catalog answers from this replica's own sessions while the cluster's list is unreachable.
        var sessions = await catalog.ListAsync(request.IncludeStopped, request.InstanceId, context.CancellationToken);
        return SessionPages.Page(sessions.Where(s => ConsumerAuthorizer.Allows(policy, s)), request);
    }

    public override async Task WatchSessions(WatchSessionsRequest request, IServerStreamWriter<WatchSessionsResponse> responseStream, ServerCallContext context)
    {
        var policy = authorizer.Authenticate(context);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var reader = watchers.Watch(call.Token);
        try
        {
            if (request.IncludeExisting)
            {
                foreach (var info in (await catalog.ListAsync(includeStopped: false, instanceId: string.Empty, call.Token)).Where(s => ConsumerAuthorizer.Allows(policy, s)))
                {
                    await responseStream.WriteAsync(new WatchSessionsResponse { Change = SessionChange.Existing, Session = info }, context.CancellationToken);
                }
                await responseStream.WriteAsync(new WatchSessionsResponse { Change = SessionChange.SnapshotEnd }, context.CancellationToken);
            }
            await foreach (var change in reader.ReadAllAsync(call.Token))
            {
                if (change.Session is null || ConsumerAuthorizer.Allows(policy, change.Session))
                {
                    // Drain ends the wait for the next change, never a write in flight (that would reset the stream).
                    await responseStream.WriteAsync(change, context.CancellationToken);
                }
            }
        }
        catch (WatcherOverflowException ex)
        {
            throw GatewayError.Create(StatusCode.ResourceExhausted, ErrorReason.WatcherTooSlow, ex.Message);
        }
        catch (SessionUnavailableException ex)
        {
            throw GatewayError.Create(StatusCode.Unavailable, ex.Draining ? ErrorReason.Draining : ErrorReason.OwnerLost, ex.Message);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw GatewayError.Create(StatusCode.Unavailable, ErrorReason.Draining, "This replica is shutting down; watch again elsewhere.");
        }
    }

    public override Task SubscribeAudio(SubscribeAudioRequest request, IServerStreamWriter<EncodedMessage> responseStream, ServerCallContext context)
    {
        var format = request.Format;
        if (format is not null)
        {
            // A format no replica produces is refused here, before finding (or relaying to) the owner.
            AudioFormatErrors.Check(format, request.Target?.RtmsStreamId);
        }
        // On the owner: the source channel, or the shared conversion to the format (held for the call). Relayed: the owner
        // is asked for the same format, so it converts once for every replica's subscribers.
        return ServeAsync("audio", request.Target, hub => AudioFormatErrors.Open(hub, format), null, ResponseShape.Audio,
            (client, target, options) => client.SubscribeAudio(new SubscribeAudioRequest { Target = target, Format = format }, options),
            r => r.Frame?.Header.Sequence ?? r.Gap?.LastMissingSequence, r => r.Ended is not null, responseStream, context);
    }

    public override Task SubscribeVideo(SubscribeVideoRequest request, IServerStreamWriter<EncodedMessage> responseStream, ServerCallContext context)
    {
        var source = request.Source;
        return ServeAsync("video", request.Target, hub => hub.Video, source == VideoSource.Unspecified ? null : m => m.Tag == (int)source, ResponseShape.Video,
            (client, target, options) => client.SubscribeVideo(new SubscribeVideoRequest { Target = target, Source = source }, options),
            r => r.Frame?.Header.Sequence ?? r.Gap?.LastMissingSequence, r => r.Ended is not null, responseStream, context,
            hold: (hub, target) => HoldIndividualVideoAsync(hub, target, source, context));
    }

    /// <summary>On the owner, in individual video mode: the participant named in <c>target.user_ids</c> is requested from
    /// Zoom for as long as this call lasts (shared with other subscribers of the same participant).</summary>
    private async Task<IDisposable?> HoldIndividualVideoAsync(SessionHub hub, SubscriptionTarget target, VideoSource source, ServerCallContext context)
    {
        if (!hub.IndividualVideo.Enabled || target.UserIds.Count == 0 || source == VideoSource.ScreenShare)
        {
            return null;
        }
        var named = target.UserIds.Distinct(StringComparer.Ordinal).ToList();
        if (named.Count > IndividualVideo.MaxParticipants)
        {
            throw GatewayError.Create(StatusCode.InvalidArgument, ErrorReason.InvalidTarget,
                $"Zoom delivers {IndividualVideo.MaxParticipants} participant's individual video per stream at a time; target.user_ids names {named.Count}.", hub.StreamId, badField: "target.user_ids");
        }
        try
        {
            return await hub.IndividualVideo.AcquireAsync(named[0], rtmsOptions.Value.HandshakeTimeout, context.CancellationToken);
        }
        catch (IndividualVideoRefusedException ex)
        {
            throw GatewayError.Create(StatusCode.FailedPrecondition, ErrorReason.IndividualVideoUnavailable, ex.Message, hub.StreamId);
        }
    }

    public override Task SubscribeTranscripts(SubscribeTranscriptsRequest request, IServerStreamWriter<EncodedMessage> responseStream, ServerCallContext context) =>
        ServeAsync("transcripts", request.Target, hub => hub.Transcripts, null, ResponseShape.Transcripts,
            (client, target, options) => client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = target }, options),
            r => r.Segment?.Header.Sequence ?? r.Gap?.LastMissingSequence, r => r.Ended is not null, responseStream, context);

    public override Task SubscribeEvents(SubscribeEventsRequest request, IServerStreamWriter<EncodedMessage> responseStream, ServerCallContext context) =>
        ServeAsync("events", request.Target, hub => hub.Events, null, ResponseShape.Events,
            (client, target, options) => client.SubscribeEvents(new SubscribeEventsRequest { Target = target }, options),
            r => r.Event?.Header.Sequence ?? r.Gap?.LastMissingSequence, r => r.Ended is not null, responseStream, context);

    /// <summary>
    /// Serves one subscription: from the local hub's channel when this replica owns the session, else relayed from the
    /// owner (the same request re-issued there, resuming by <paramref name="positionOf"/>).
    /// </summary>
    private async Task ServeAsync<T>(
        string channel, SubscriptionTarget? target, Func<SessionHub, ServedChannel> channelOf, Func<EncodedMessage, bool>? filter,
        ResponseShape shape, Func<RtmsGatewayService.RtmsGatewayServiceClient, SubscriptionTarget, CallOptions, AsyncServerStreamingCall<T>> open,
        Func<T, ulong?> positionOf, Func<T, bool> isEnd, IServerStreamWriter<EncodedMessage> stream, ServerCallContext context,
        Func<SessionHub, SubscriptionTarget, Task<IDisposable?>>? hold = null) where T : class, IMessage
    {
        var policy = authorizer.Authenticate(context);
        authorizer.AuthorizeChannel(policy, channel);
        var (hub, remote) = await ResolveAsync(target, info => ConsumerAuthorizer.Allows(policy, info), context);
        var instanceId = hub?.InstanceId ?? remote!.InstanceId;
        if (target!.RtmsStreamId.Length > 0 && target.InstanceId.Length > 0 && instanceId != target.InstanceId)
        {
            throw GatewayError.Create(StatusCode.InvalidArgument, ErrorReason.InvalidTarget, $"target.rtms_stream_id '{target.RtmsStreamId}' does not belong to target.instance_id '{target.InstanceId}'; set one of them.", badField: "target.instance_id");
        }
        if (hub is not null)
        {
            if (target.RtmsStreamId.Length == 0)
            {
                // Named by instance: the pump's errors name the stream it resolved to (ResumePoint.rtms_stream_id).
                target = target.Clone();
                target.RtmsStreamId = hub.StreamId;
            }
            var served = channelOf(hub);
            using (served.Lease)
            {
                await pump.RunAsync(served.Channel, target, filter, shape, stream, context, hold is null ? null : () => hold(hub, target));
            }
            return;
        }
        await RelayAsync(remote!.RtmsStreamId, target!, open, positionOf, isEnd, new EncodingStreamWriter<T>(stream), context);
    }

    private async Task RelayAsync<T>(
        string streamId, SubscriptionTarget target,
        Func<RtmsGatewayService.RtmsGatewayServiceClient, SubscriptionTarget, CallOptions, AsyncServerStreamingCall<T>> open,
        Func<T, ulong?> positionOf, Func<T, bool> isEnd, IServerStreamWriter<T> stream, ServerCallContext context)
    {
        // Drain ends the relayed call like an owned one: UNAVAILABLE with the resume point (the relay adds it).
        using var call = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        await relay!.RelayAsync(streamId, target, open, positionOf, isEnd, stream, authorizer.RelayCredentials(context), call.Token);
    }

    /// <summary>
    /// Finds the session of a target: a local hub, or (cluster) the stream id to relay from its owner. A session the caller
    /// may not read (<paramref name="visible"/>) is treated exactly like one that does not exist: NOT_FOUND, or with
    /// wait_for_start, waiting until the call's deadline.
    /// </summary>
    private async Task<(SessionHub? Hub, SessionInfo? Remote)> ResolveAsync(SubscriptionTarget? target, Func<SessionInfo, bool> visible, ServerCallContext context)
    {
        SubscriptionTargetValidator.Validate(target);
        if (directory.Find(target!) is { } local && visible(local.Snapshot()))
        {
            return (local, null);
        }
        if (SessionRelay.IsRelayCall(context))
        {
            throw GatewayError.Create(StatusCode.Unavailable, ErrorReason.OwnerLost, "This replica does not own that session (any more).", target!.RtmsStreamId);
        }
        using var call = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            var info = await FindVisibleAsync(target!, visible, call.Token);
            if (info is null && target!.WaitForStart)
            {
                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(call.Token);
                var started = watchers.WaitForStartAsync(target.RtmsStreamId, target.InstanceId, visible, waiting.Token);
                // Registered first, so a start between the lookups above and now is not missed.
                info = await FindVisibleAsync(target, visible, call.Token);
                if (info is null)
                {
                    info = await started;
                }
                else
                {
                    await waiting.CancelAsync();
                    await started.ContinueWith(static _ => { }, TaskScheduler.Default);
                }
            }
            if (info is not null)
            {
                if (directory.FindByStream(info.RtmsStreamId) is { } startedHere)
                {
                    return (startedHere, null);
                }
                if (relay is not null)
                {
                    return (null, info);
                }
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw GatewayError.Create(StatusCode.Unavailable, ErrorReason.Draining, "This replica is shutting down; reconnect.");
        }
        catch (SessionCatalogUnavailableException)
        {
            // The cause (the Redis client's diagnostics: endpoints, thread-pool figures) stays inside the replica (its
            // readiness reports Redis as Degraded): a consumer gets no internals.
            throw GatewayError.Create(StatusCode.Unavailable, ErrorReason.ClusterStateUnavailable, "The cluster's session list is unreachable (Redis); retry.");
        }
        var what = target!.RtmsStreamId.Length > 0 ? $"RTMS stream '{target.RtmsStreamId}'" : $"instance '{target.InstanceId}'";
        throw GatewayError.Create(StatusCode.NotFound, ErrorReason.SessionNotFound, $"No session for {what}. Set wait_for_start to wait for it.", target.RtmsStreamId);
    }

    /// <summary>The target's session here or in the cluster, if the caller may see it.</summary>
    private async Task<SessionInfo?> FindVisibleAsync(SubscriptionTarget target, Func<SessionInfo, bool> visible, CancellationToken ct)
    {
        var info = directory.Find(target)?.Snapshot() ?? (relay is null ? null : await catalog.FindAsync(target.RtmsStreamId, target.InstanceId, ct));
        return info is not null && visible(info) ? info : null;
    }
}
