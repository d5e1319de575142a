using RtmsGateway.Configuration;
using RtmsGateway.Protocol;

namespace RtmsGateway.Rtms;

/// <summary>
/// When to dial Zoom again for one stream, and when to give up (§5.2, §3.8):
/// <list type="bullet">
/// <item>a lost connection is redialled with backoff (3 s doubling to 30 s, jittered), until no handshake succeeded for
/// <see cref="RtmsClientOptions.ReconnectGiveUpAfter"/>;</item>
/// <item>a stop with reason 10-19 or 24 calls for a full restart: the first attempt at once, at most
/// <see cref="RtmsClientOptions.RestartAttemptsAfterStop"/> in all; Zoom refusing one ends the stream with the original reason;</item>
/// <item>any other stop, and a refusal that is not retryable (§3.5), ends the stream;</item>
/// <item>"duplicate signal request" (status 8: another connection holds the stream) is retried with backoff for as long as
/// it lasts, never given up on;</item>
/// <item>an accepted handshake resets all of it.</item>
/// </list>
/// Pure: no I/O, time from the injected clock.
/// </summary>
internal sealed class RestartPolicy
{
    private readonly RtmsClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ReconnectBackoff _backoff;
    /// <summary>When the current run of failures began (null while connected): the give-up window counts from here.</summary>
    private long? _failingSince;
    private int _restartsLeft;

    public RestartPolicy(RtmsClientOptions options, TimeProvider time, Random jitter)
    {
        _options = options;
        _time = time;
        _backoff = new ReconnectBackoff(options.ReconnectInitialDelay, options.ReconnectMaxDelay, jitter);
        _failingSince = time.GetTimestamp();
    }

    /// <summary>The stop reason a restart is under way for; null when none is.</summary>
    public StopReason? RestartingFrom { get; private set; }

    public static bool IsRestartable(StopReason reason) =>
        reason is >= StopReason.InternalException and <= StopReason.AwaitReconnectionTimeout or StopReason.KeepAliveTimeout;

    /// <summary>Zoom accepted a signaling handshake: the stream lives; reconnecting starts over at the first delay.</summary>
    public void Connected()
    {
        _backoff.Reset();
        _failingSince = null;
        RestartingFrom = null;
    }

    /// <summary>Zoom moved the stream to another server (a repeated <c>rtms_started</c>): dial it at once, as after a success.</summary>
    public RestartDecision Redirected()
    {
        _backoff.Reset();
        _failingSince = _time.GetTimestamp();
        return new RestartDecision.Retry(TimeSpan.Zero);
    }

    /// <summary>The connection was lost (dropped, silent, failed to connect, or a retryable refusal).</summary>
    public RestartDecision AfterLoss()
    {
        if (RestartingFrom is { } reason)
        {
            return _restartsLeft-- > 0 ? new RestartDecision.Retry(_backoff.Next()) : GaveUpRestarting(reason);
        }
        _failingSince ??= _time.GetTimestamp();
        if (_time.GetElapsedTime(_failingSince.Value) > _options.ReconnectGiveUpAfter)
        {
            return new RestartDecision.Finish(new RtmsStopResult(StopReason.AwaitReconnectionTimeout,
                $"no successful handshake for {_options.ReconnectGiveUpAfter.TotalSeconds:0} s; gave up reconnecting", ByZoom: false));
        }
        return new RestartDecision.Retry(_backoff.Next());
    }

    /// <summary>Zoom stopped the stream (signaling TERMINATED, or an <c>rtms_stopped</c> webhook).</summary>
    public RestartDecision AfterStop(StopReason reason)
    {
        if (!IsRestartable(reason))
        {
            return new RestartDecision.Finish(RtmsStopResult.Requested(reason));
        }
        if (RestartingFrom is null)
        {
            RestartingFrom = reason;
            _restartsLeft = _options.RestartAttemptsAfterStop;
            return _restartsLeft-- > 0 ? new RestartDecision.Retry(TimeSpan.Zero) : GaveUpRestarting(reason);
        }
        return AfterLoss();
    }

    /// <summary>Zoom refused a handshake.</summary>
    public RestartDecision AfterRefusal(RtmsHandshakeException refusal)
    {
        if (refusal.Status == StatusCode.DuplicateSignalRequest && RestartingFrom is null)
        {
            // Zoom holds another signaling connection for the stream (§5.3): the stream lives, and the connection is
            // typically a previous owner's that has not noticed it lost the lease yet (cut off from Redis). Wait for it to
            // go, however long that takes: giving up would end for every subscriber a stream that is not over.
            return new RestartDecision.Retry(_backoff.Next());
        }
        if (refusal.IsRetryable)
        {
            return AfterLoss();
        }
        if (RestartingFrom is { } stoppedBy)
        {
            // Zoom did not let the stream restart (typically status 2: the stream id is gone): it is over.
            return new RestartDecision.Finish(RtmsStopResult.Requested(stoppedBy) with { Description = $"{RtmsStopResult.Describe(stoppedBy)} (restart refused: {refusal.Message})" });
        }
        var reason = refusal.Status == StatusCode.InvalidSignature ? StopReason.AuthenticationFailure : StopReason.Undefined;
        return new RestartDecision.Finish(new RtmsStopResult(reason, refusal.Message, ByZoom: false));
    }

    private RestartDecision.Finish GaveUpRestarting(StopReason reason) =>
        new(RtmsStopResult.Requested(reason) with { Description = $"{RtmsStopResult.Describe(reason)} (no restart succeeded after {_options.RestartAttemptsAfterStop} attempts)" });
}
