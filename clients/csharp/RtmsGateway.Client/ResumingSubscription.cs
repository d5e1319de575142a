using System.Runtime.CompilerServices;
using Grpc.Core;
using RtmsGateway.Api.V1;

namespace RtmsGateway.Client;

/// <summary>
/// One subscription that survives its calls: it remembers the last sequence delivered and, when a call ends while the
/// session lives on, calls again (another replica when this one drains or died) with <c>resume_after_sequence</c>, so
/// the caller's loop goes on with no code of its own. What the gateway could not replay arrives as a gap item, exactly
/// once per hole; the end of the session arrives as an ended item, after which the enumeration completes.
/// </summary>
internal sealed class ResumingSubscription<TResponse, T>(
    GatewayClient client,
    SubscriptionTarget target,
    Func<RtmsGatewayService.RtmsGatewayServiceClient, SubscriptionTarget, CallOptions, AsyncServerStreamingCall<TResponse>> open,
    Func<TResponse, StreamItem<T>?> itemOf)
    where TResponse : class
    where T : class
{
    public async IAsyncEnumerable<StreamItem<T>> RunAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var options = client.Options;
        ulong? last = target.HasResumeAfterSequence ? target.ResumeAfterSequence : null;
        var replica = client.FirstReplica();
        var attempt = 0;
        var lastProgress = options.Time.GetTimestamp();
        while (true)
        {
            var request = target.Clone();
            if (last is { } after)
            {
                request.ResumeAfterSequence = after;
            }
            var call = open(client.Stub(replica), request, await client.CallOptionsAsync(deadline: null, ct));
            RpcException? failure = null;
            using (call)
            {
                while (true)
                {
                    StreamItem<T>? item;
                    try
                    {
                        if (!await call.ResponseStream.MoveNext(ct))
                        {
                            // Completed OK without SessionEnded: the session is over from the gateway's point of view.
                            yield break;
                        }
                        item = itemOf(call.ResponseStream.Current);
                    }
                    catch (RpcException ex)
                    {
                        failure = ex;
                        break;
                    }
                    if (item is null)
                    {
                        continue;
                    }
                    if (item.Kind == StreamItemKind.Ended)
                    {
                        yield return item;
                        yield break;
                    }
                    if (last is { } previous && item.Sequence <= previous)
                    {
                        continue; // replayed again after a resume: already delivered
                    }
                    last = item.Sequence;
                    attempt = 0;
                    lastProgress = options.Time.GetTimestamp();
                    yield return item;
                }
            }
            var decision = RetryPolicy.Decide(failure, ct.IsCancellationRequested, RetryPolicy.Backoff(attempt, options.InitialBackoff, options.MaxBackoff));
            if (!decision.Retry || options.Time.GetElapsedTime(lastProgress) > options.GiveUpAfter)
            {
                throw failure;
            }
            if (decision.OtherReplica)
            {
                replica = client.NextReplica(replica);
            }
            attempt++;
            await Task.Delay(decision.Delay, options.Time, ct);
        }
    }
}
