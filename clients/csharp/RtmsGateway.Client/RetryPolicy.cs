using Google.Rpc;
using Grpc.Core;
using RtmsGateway.Api.V1;
using StatusCode = Grpc.Core.StatusCode;

namespace RtmsGateway.Client;

/// <summary>What to do after a subscription's call failed: give up, or call again after a delay (on the same or another replica).</summary>
internal readonly record struct RetryDecision(bool Retry, TimeSpan Delay, bool OtherReplica);

/// <summary>
/// The gateway's error contract (errors.proto) turned into decisions: retry what the gateway or the network says is
/// transient, honour RetryInfo, move to another replica when this one drains or lost the session, and never retry a
/// request that is wrong (bad target, resume point, credentials, permission) or a session that does not exist.
/// </summary>
internal static class RetryPolicy
{
    public static RetryDecision Decide(RpcException error, bool cancelledByCaller, TimeSpan backoff)
    {
        if (cancelledByCaller)
        {
            return default;
        }
        var status = error.GetRpcStatus();
        var reason = status?.GetDetail<ErrorInfo>()?.Reason;
        var advised = status?.GetDetail<RetryInfo>()?.RetryDelay?.ToTimeSpan();
        var delay = advised is { } a && a > backoff ? a : backoff;
        return error.StatusCode switch
        {
            // The replica drains, lost the session, or the connection failed before any status: any replica serves it.
            StatusCode.Unavailable => new RetryDecision(true, delay, OtherReplica: true),
            // Not cancelled by this caller: the connection or the server ended the call (a stalled stream is aborted).
            StatusCode.Cancelled or StatusCode.Unknown or StatusCode.Internal or StatusCode.DeadlineExceeded => new RetryDecision(true, delay, OtherReplica: true),
            // A limit: resume at once after an overflow, wait as told when the session is full.
            StatusCode.ResourceExhausted when reason is "SUBSCRIBER_TOO_SLOW" or "WATCHER_TOO_SLOW" => new RetryDecision(true, advised ?? TimeSpan.Zero, OtherReplica: false),
            StatusCode.ResourceExhausted when advised is not null => new RetryDecision(true, delay, OtherReplica: true),
            _ => default,
        };
    }

    /// <summary>Full jitter: a uniform wait in [nominal/2, nominal] for attempt <paramref name="attempt"/> (0 = first retry).</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan initial, TimeSpan max)
    {
        var nominal = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20)));
        return TimeSpan.FromMilliseconds((nominal / 2) + (Random.Shared.NextDouble() * nominal / 2));
    }
}
