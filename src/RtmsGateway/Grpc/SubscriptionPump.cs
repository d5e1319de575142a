using Grpc.Core;
using RtmsGateway.Api.V1;
using RtmsGateway.Hosting;
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
internal sealed class SubscriptionPump(IHostApplicationLifetime lifetime)
{
    public async Task RunAsync(
        SessionChannel<EncodedMessage> channel, SubscriptionTarget target, Func<EncodedMessage, bool>? filter, ResponseShape shape,
        IServerStreamWriter<EncodedMessage> stream, ServerCallContext context)
    {
        var start = new SubscribeStart(target.FromStart, target.HasResumeAfterSequence ? target.ResumeAfterSequence : null);
        using var subscription = channel.Subscribe(start);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var ct = call.Token;
        var users = target.UserIds.Count == 0 ? null : new HashSet<string>(target.UserIds, StringComparer.Ordinal);
        var last = start.ResumeAfter ?? 0;
        try
        {
            if (subscription.InitialGap is { } initialGap)
            {
                await stream.WriteAsync(shape.Gap(initialGap), ct);
            }
            var output = new BatchedWriter<EncodedMessage>(stream, context) { MoreQueued = true };
            foreach (var item in subscription.Backlog)
            {
                last = await DeliverAsync(channel, item, last, users, filter, shape, output, ct);
            }
            await output.FlushAsync(ct);
            var reader = subscription.Reader;
            while (await reader.WaitToReadAsync(ct))
            {
                while (reader.TryRead(out var item))
                {
                    output.MoreQueued = reader.Count > 0;
                    last = await DeliverAsync(channel, item, last, users, filter, shape, output, ct);
                }
                await output.FlushAsync(ct);
            }
            if (subscription.Ended is { } ended)
            {
                await stream.WriteAsync(shape.Ended(ended), ct);
            }
        }
        catch (SubscriberOverflowException)
        {
            throw new RpcException(
                new Status(StatusCode.ResourceExhausted, "This subscriber read too slowly and its queue filled; reconnect with resume_after_sequence from the trailer."),
                ResumeTrailer.For(last));
        }
        catch (RpcException ex) when (ex.Trailers.Count == 0)
        {
            throw new RpcException(ex.Status, ResumeTrailer.For(last));
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "This replica is shutting down; reconnect and resume."), ResumeTrailer.For(last));
        }
    }

    private static async ValueTask<ulong> DeliverAsync(
        SessionChannel<EncodedMessage> channel, ChannelItem<EncodedMessage> item, ulong last, HashSet<string>? users, Func<EncodedMessage, bool>? filter,
        ResponseShape shape, BatchedWriter<EncodedMessage> stream, CancellationToken ct)
    {
        if (item.Sequence <= last)
        {
            return last;
        }
        if (last != 0 && item.Sequence > last + 1)
        {
            var sameEpoch = Sequences.EpochOf(last) == Sequences.EpochOf(item.Sequence);
            channel.Metrics?.Gap(channel.Name, sameEpoch ? "subscriber_too_slow" : "owner_changed");
            await stream.WriteAsync(shape.Gap(new Gap
            {
                FirstMissingSequence = last + 1,
                LastMissingSequence = item.Sequence - 1,
                MissedCount = sameEpoch ? item.Sequence - 1 - last : 0,
                Reason = sameEpoch ? Gap.Types.Reason.SubscriberTooSlow : Gap.Types.Reason.OwnerChanged,
            }), ct);
        }
        if ((users is null || item.UserId == "0" || users.Contains(item.UserId)) && (filter is null || filter(item.Response)))
        {
            await stream.WriteAsync(item.Response, ct);
            channel.Metrics?.MessageOut(channel.Name);
        }
        return item.Sequence;
    }
}
