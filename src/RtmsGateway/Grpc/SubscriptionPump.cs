using Grpc.Core;
using RtmsGateway.Api.V1;
using RtmsGateway.Sessions;

namespace RtmsGateway.Grpc;

/// <summary>
/// Moves one subscription onto one gRPC response stream: the single writer of that call (the stream writer forbids
/// concurrent writes). Delivers the replayed backlog, then live items; turns sequence jumps into <see cref="Gap"/>
/// notices, applies participant and custom filters, and ends the call with a resume point when the subscriber
/// overflowed (RESOURCE_EXHAUSTED), the replica drains (UNAVAILABLE) or the session ends (OK after SessionEnded).
/// While more items are queued, writes are buffered (no flush, no syscall per message); the response is flushed
/// explicitly whenever the queue runs dry, so nothing written waits for the next message.
/// </summary>
/// <para>
/// On a channel with a cluster history (transcripts and events in cluster mode) a backlog this replica cannot serve from
/// memory alone is completed from the history first (<see cref="HistoryBackfill"/>): every earlier owner's stored items,
/// then the retained ones, one Gap per hole.
/// </para>
internal sealed class SubscriptionPump(IHostApplicationLifetime lifetime, StalledWriteWatchdog? watchdog = null, HistoryBackfill? backfill = null)
{
    public async Task RunAsync(
        SessionChannel<EncodedMessage> channel, SubscriptionTarget target, Func<EncodedMessage, bool>? filter, ResponseShape shape,
        IServerStreamWriter<EncodedMessage> stream, ServerCallContext context, Func<Task<IDisposable?>>? hold = null)
    {
        var start = new SubscribeStart(target.FromStart, target.HasResumeAfterSequence ? target.ResumeAfterSequence : null);
        using var subscription = Subscribe(channel, start, target.RtmsStreamId);
        // Held once subscribed, so what the hold makes Zoom send (e.g. a requested participant's first key frame) is queued.
        using var held = hold is null ? null : await hold();
        using var call = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var ct = call.Token;
        // Writes are cancelled only by the caller going away: cancelling a write in flight (drain) would reset the stream
        // (the message may be half sent), and the caller would see CANCELLED instead of UNAVAILABLE with its resume point.
        var writes = context.CancellationToken;
        var users = target.UserIds.Count == 0 ? null : new HashSet<string>(target.UserIds, StringComparer.Ordinal);
        var last = start.ResumeAfter ?? 0;
        // A consumer that accepts nothing for the stall timeout (frozen, never closing its connection) has its call aborted.
        using var watch = watchdog?.Start(channel.Name, () => context.GetHttpContext().Abort());
        var output = new BatchedWriter<EncodedMessage>(stream, context, watch);
        var delivered = new DeliveredCount();
        try
        {
            output.MoreQueued = true;
            if (backfill is not null && HistoryBackfill.Needed(channel, subscription))
            {
                await foreach (var entry in backfill.EntriesAsync(target.RtmsStreamId, channel.Name, subscription, writes))
                {
                    last = await DeliverBacklogAsync(channel, entry, last, users, filter, shape, output, delivered, writes);
                }
            }
            else
            {
                foreach (var entry in HistoryBackfill.Local(subscription))
                {
                    last = await DeliverBacklogAsync(channel, entry, last, users, filter, shape, output, delivered, writes);
                }
            }
            await output.FlushAsync(writes);
            delivered.Report(channel);
            var reader = subscription.Reader;
            while (await subscription.WaitToReadAsync(ct))
            {
                while (reader.TryRead(out var item))
                {
                    output.MoreQueued = reader.Count > 0;
                    delivered.OldestLive ??= item.PublishedAt;
                    last = await DeliverAsync(channel, item, last, users, filter, shape, output, delivered, writes);
                }
                await output.FlushAsync(writes);
                delivered.Report(channel);
            }
            if (subscription.Ended is { } ended)
            {
                output.MoreQueued = false;
                await output.WriteAsync(shape.Ended(ended), writes);
            }
        }
        catch (SubscriberOverflowException)
        {
            throw GatewayError.Create(StatusCode.ResourceExhausted, ErrorReason.SubscriberTooSlow,
                "This subscriber read too slowly and its queue filled; reconnect with resume_after_sequence from the ResumePoint detail (or the trailer).", target.RtmsStreamId, last,
                metadata: new Dictionary<string, string> { ["channel"] = channel.Name });
        }
        catch (SessionUnavailableException ex)
        {
            throw GatewayError.Create(StatusCode.Unavailable, ex.Draining ? ErrorReason.Draining : ErrorReason.OwnerLost, ex.Message, target.RtmsStreamId, last);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw GatewayError.Create(StatusCode.Unavailable, ErrorReason.Draining, "This replica is shutting down; reconnect and resume.", target.RtmsStreamId, last);
        }
    }

    private static ChannelSubscription<EncodedMessage> Subscribe(SessionChannel<EncodedMessage> channel, SubscribeStart start, string streamId)
    {
        try
        {
            return channel.Subscribe(start);
        }
        catch (SubscriptionRefusedException ex)
        {
            throw ex.Refusal switch
            {
                SubscriptionRefusal.SubscriberLimit => GatewayError.Create(StatusCode.ResourceExhausted, ErrorReason.SubscriberLimit, ex.Message, streamId,
                    metadata: new Dictionary<string, string> { ["channel"] = channel.Name }),
                SubscriptionRefusal.FutureResumePoint => GatewayError.Create(StatusCode.OutOfRange, ErrorReason.FutureResumePoint, ex.Message, streamId, badField: "target.resume_after_sequence"),
                _ => GatewayError.Create(StatusCode.InvalidArgument, ErrorReason.InvalidResumePoint, ex.Message, streamId, badField: "target.resume_after_sequence"),
            };
        }
    }

    private static string GapReasonTag(Gap.Types.Reason reason) => reason switch
    {
        Gap.Types.Reason.SubscriberTooSlow => "subscriber_too_slow",
        Gap.Types.Reason.RetentionExceeded => "retention_exceeded",
        Gap.Types.Reason.OwnerChanged => "owner_changed",
        _ => "unspecified",
    };

    /// <summary>One backlog entry: a gap (the one notice of that hole: delivery continues right after it, so no second gap
    /// is derived from it), or an item whose hole, if any, was announced just before it.</summary>
    private static async ValueTask<ulong> DeliverBacklogAsync(
        SessionChannel<EncodedMessage> channel, BacklogEntry<EncodedMessage> entry, ulong last, HashSet<string>? users, Func<EncodedMessage, bool>? filter,
        ResponseShape shape, BatchedWriter<EncodedMessage> stream, DeliveredCount delivered, CancellationToken ct)
    {
        if (entry.Gap is { } gap)
        {
            channel.Metrics?.Gap(channel.Name, GapReasonTag(gap.Reason));
            await stream.WriteAsync(shape.Gap(gap), ct);
            return gap.LastMissingSequence;
        }
        var item = entry.Item;
        return await DeliverAsync(channel, item, item.Sequence > last + 1 ? item.Sequence - 1 : last, users, filter, shape, stream, delivered, ct);
    }

    private static async ValueTask<ulong> DeliverAsync(
        SessionChannel<EncodedMessage> channel, ChannelItem<EncodedMessage> item, ulong last, HashSet<string>? users, Func<EncodedMessage, bool>? filter,
        ResponseShape shape, BatchedWriter<EncodedMessage> stream, DeliveredCount delivered, CancellationToken ct)
    {
        if (item.Sequence <= last)
        {
            return last;
        }
        if (last != 0 && item.Sequence > last + 1)
        {
            // One hub serves one epoch and assigns consecutive sequences, and reliable queues never drop: a jump here is
            // a media queue that dropped its oldest items for this slow subscriber.
            channel.Metrics?.Gap(channel.Name, GapReasonTag(Gap.Types.Reason.SubscriberTooSlow));
            await stream.WriteAsync(shape.Gap(new Gap
            {
                FirstMissingSequence = last + 1,
                LastMissingSequence = item.Sequence - 1,
                MissedCount = item.Sequence - 1 - last,
                Reason = Gap.Types.Reason.SubscriberTooSlow,
            }), ct);
        }
        if ((users is null || item.UserId == "0" || users.Contains(item.UserId)) && (filter is null || filter(item.Response)))
        {
            await stream.WriteAsync(item.Response, ct);
            delivered.Count++;
        }
        return item.Sequence;
    }

    /// <summary>Messages written since the last flush: the messages-out counter is updated once per burst, not per
    /// message (at 1000 subscribers of one meeting the per-message update was 2.4 % of the gateway's CPU), and so is the
    /// delivery latency, of the burst's oldest live message (the one that waited longest; replayed backlog is not live).</summary>
    private sealed class DeliveredCount
    {
        public int Count { get; set; }

        /// <summary>When the oldest live message of this burst arrived from Zoom.</summary>
        public long? OldestLive { get; set; }

        public void Report(SessionChannel<EncodedMessage> channel)
        {
            if (Count > 0)
            {
                channel.Metrics?.MessagesOut(channel.Name, Count);
                if (OldestLive is { } since)
                {
                    channel.Metrics?.DeliveryLatency(channel.Name, channel.ElapsedSince(since));
                }
                Count = 0;
            }
            OldestLive = null;
        }
    }
}
