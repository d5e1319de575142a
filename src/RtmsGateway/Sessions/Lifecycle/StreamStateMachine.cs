using RtmsGateway.Configuration;
using RtmsGateway.Protocol;
using RtmsGateway.Rtms;

namespace RtmsGateway.Sessions.Lifecycle;

/// <summary>
/// The lifecycle of one RTMS stream on its owner, as one state machine: every <see cref="StreamEvent"/> is decided here, one
/// at a time, and what should happen is asked of <see cref="IStreamEffects"/>. So no two paths can race to end, restart
/// or reconnect a stream. Pure: no I/O, no tasks, time from the injected clock, so every rule has a unit test on a fake
/// clock. The rules (§5.2, §3.8, §3.9 of the protocol reference):
/// <list type="bullet">
/// <item>signaling lost (closed, dropped, silent, <c>rtms_interrupted</c>) → redial with backoff (<see cref="RestartPolicy"/>);
/// a media socket lost → reopen only it, with its own backoff; Zoom reporting media interrupted → reopen only the sockets
/// that failed (those already down, or silent since), with their backoff, while the others keep flowing;</item>
/// <item>Zoom ending the stream (STREAM_STATE TERMINATED, or <c>rtms_stopped</c>, whichever comes first) → keep reading
/// signaling until Zoom closes it or <see cref="TerminationGrace"/> passes, so its last updates reach subscribers; then end,
/// or restart for reasons 10-19 and 24;</item>
/// <item>a repeated <c>rtms_started</c> → dial the new server at once;</item>
/// <item>never dial unless the lease was confirmed within its TTL (so a replica cut off from Redis, whose lease another
/// replica may hold by now, does not fight it for Zoom's one signaling connection);</item>
/// <item>lease lost or drain → relinquish at once.</item>
/// </list>
/// </summary>
internal sealed class StreamStateMachine
{
    /// <summary>How long signaling is read after Zoom began ending the stream, for the updates it sends before it closes.</summary>
    public static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(2);

    private readonly RtmsClientOptions _options;
    private readonly RestartPolicy _policy;
    private readonly TimeProvider _time;
    private readonly TimeSpan _leaseTtl;
    private readonly IStreamEffects _effects;
    private readonly Random _jitter;
    private readonly List<Link> _links = [];
    private Uri _url;
    private int _attempt;
    private int _timerGeneration;
    private bool _paused;
    private StopReason? _stopping;
    /// <summary>When the current signaling connection opened, on this replica's clock (epoch ms).</summary>
    private long _openedAtLocalMs;
    /// <summary>Zoom's clock minus this replica's (ms), from keep-alive timestamps: the largest sample of the current
    /// connection (the least delayed), else of the last connection that had one; null until Zoom sent one.</summary>
    private long? _zoomOffsetMs;
    private bool _offsetSampledThisConnection;
    /// <summary>On Zoom's clock: no connection from now on can be older than this (the <c>event_ts</c> of the webhook that
    /// started or redirected the stream, or of the last interruption acted on).</summary>
    private long _zoomFloorMs;
    private long _leaseConfirmedAt;
    private UpstreamState? _reported;
    private int _probeGeneration;
    private bool _probePending;
    private long _probeSince;
    private string _probeReason = string.Empty;

    /// <param name="startedEventTimestamp">The <c>event_ts</c> of the <c>rtms_started</c> webhook the stream came from (0 = unknown).</param>
    public StreamStateMachine(Uri signalingUrl, RtmsClientOptions options, TimeSpan leaseTtl, TimeProvider time, Random jitter, IStreamEffects effects, long startedEventTimestamp = 0)
    {
        _zoomFloorMs = ZoomTimestamp.ToMilliseconds(startedEventTimestamp);
        _url = signalingUrl;
        _options = options;
        _leaseTtl = leaseTtl;
        _time = time;
        _jitter = jitter;
        _effects = effects;
        _policy = new RestartPolicy(options, time, jitter);
    }

    public StreamPhase Phase { get; private set; }

    /// <summary>Set once the stream's life here is decided; nothing is asked of the effects after that.</summary>
    public StreamEnding? Ending { get; private set; }

    /// <summary>The signaling URL now in use (changed by a failover).</summary>
    public Uri SignalingUrl => _url;

    /// <summary>Begins: the lease was just acquired, so dialling is allowed.</summary>
    public void Start()
    {
        _leaseConfirmedAt = _time.GetTimestamp();
        Report(UpstreamState.Connecting, $"dialing {_url.Host}");
        Dial();
    }

    public void Handle(StreamEvent e)
    {
        if (Phase == StreamPhase.Ended)
        {
            return;
        }
        switch (e)
        {
            case StreamEvent.SignalingOpened opened when opened.Attempt == _attempt && Phase == StreamPhase.Dialling:
                OnSignalingOpened(opened.Links);
                break;
            case StreamEvent.SignalingFailed { Error: RtmsUrlRefusedException refused } failed when failed.Attempt == _attempt && Phase == StreamPhase.Dialling:
                // The URL policy refuses the signaling server: retrying cannot change that.
                Finish(new RtmsStopResult(StopReason.Undefined, $"signaling URL refused: {refused.Message}", ByZoom: false));
                break;
            case StreamEvent.SignalingFailed failed when failed.Attempt == _attempt && Phase == StreamPhase.Dialling:
                _effects.CloseSignaling(_attempt, endStream: false);
                Apply(failed.Error is RtmsHandshakeException refusal ? _policy.AfterRefusal(refusal) : _policy.AfterLoss(), RtmsFailures.Describe(failed.Error));
                break;
            case StreamEvent.SignalingEnded ended when ended.Attempt == _attempt && Phase is StreamPhase.Live or StreamPhase.Stopping:
                if (Phase == StreamPhase.Stopping)
                {
                    EndStopping();
                }
                else
                {
                    Lose(ended.Reason);
                }
                break;
            case StreamEvent.StreamStateReported state when state.Attempt == _attempt && Phase is StreamPhase.Live or StreamPhase.Stopping:
                OnStreamState(state.State, state.Reason);
                break;
            case StreamEvent.MediaInterruptionReported interruption when interruption.Attempt == _attempt && Phase == StreamPhase.Live:
                OnMediaInterruptionReported("Zoom reported a media connection interrupted (event 7)");
                break;
            case StreamEvent.MediaOpened opened when IsCurrent(opened.Attempt, opened.Link, opened.Generation):
                OnMediaOpened(_links[opened.Link]);
                break;
            case StreamEvent.MediaEnded ended when IsCurrent(ended.Attempt, ended.Link, ended.Generation):
                OnMediaEnded(ended.Link, ended.Reason);
                break;
            case StreamEvent.MediaFailed failed when IsCurrent(failed.Attempt, failed.Link, failed.Generation):
                OnMediaFailed(failed.Link, failed.Error);
                break;
            case StreamEvent.StopRequested stop:
                OnStopRequested(stop.Reason);
                break;
            case StreamEvent.ReconnectRequested reconnect:
                OnReconnectRequested(reconnect.EventTimestampMs);
                break;
            case StreamEvent.Redirected redirected:
                _zoomFloorMs = Math.Max(_zoomFloorMs, ZoomTimestamp.ToMilliseconds(redirected.EventTimestampMs));
                OnRedirected(redirected.SignalingUrl);
                break;
            case StreamEvent.ZoomClockSampled sample when sample.Attempt == _attempt && sample.ZoomMs > 0:
                OnZoomClockSampled(ZoomTimestamp.ToMilliseconds(sample.ZoomMs) - sample.LocalMs);
                break;
            case StreamEvent.TimerElapsed elapsed:
                OnTimer(elapsed.Timer, elapsed.Generation);
                break;
            case StreamEvent.LeaseConfirmed confirmed:
                _leaseConfirmedAt = Math.Max(_leaseConfirmedAt, confirmed.At);
                if (Phase == StreamPhase.AwaitingLease)
                {
                    Dial();
                }
                break;
            case StreamEvent.LeaseLost:
                Relinquish(RelinquishReason.LeaseLost);
                break;
            case StreamEvent.DrainRequested:
                Relinquish(RelinquishReason.Drain);
                break;
        }
    }

    private void OnSignalingOpened(IReadOnlyList<MediaLinkPlan> links)
    {
        _policy.Connected();
        Phase = StreamPhase.Live;
        _openedAtLocalMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (links.Count == 0)
        {
            Finish(new RtmsStopResult(StopReason.Undefined, "the signaling response offered no media URL for the requested media types", ByZoom: false));
            return;
        }
        _links.Clear();
        foreach (var plan in links)
        {
            _links.Add(new Link(plan, new ReconnectBackoff(_options.ReconnectInitialDelay, _options.ReconnectMaxDelay, _jitter)));
        }
        for (var i = 0; i < _links.Count; i++)
        {
            Open(i);
        }
    }

    private void OnStreamState(RtmsStreamState state, StopReason? reason)
    {
        switch (state)
        {
            case RtmsStreamState.Terminated or RtmsStreamState.Terminating:
                BeginStopping(reason ?? StopReason.Undefined);
                break;
            case RtmsStreamState.Interrupted when reason == StopReason.DataConnectionInterrupted && Phase == StreamPhase.Live:
                OnMediaInterruptionReported("Zoom reported the data connection interrupted (stream state 2, reason 14)");
                break;
            case RtmsStreamState.Paused:
                // Remembered, so a media socket that reopens meanwhile does not report "streaming".
                _paused = true;
                Report(UpstreamState.Paused, "paused in Zoom");
                break;
            case RtmsStreamState.Resumed or RtmsStreamState.Active:
                _paused = false;
                if (AllMediaReady)
                {
                    Report(UpstreamState.Streaming, "resumed");
                }
                break;
        }
    }

    private void OnMediaOpened(Link link)
    {
        link.State = LinkState.Ready;
        link.Backoff.Reset();
        if (Phase == StreamPhase.Live && AllMediaReady)
        {
            Report(_paused ? UpstreamState.Paused : UpstreamState.Streaming, "media flowing");
        }
    }

    private void OnMediaEnded(int index, string reason)
    {
        var link = _links[index];
        var wasReady = link.State == LinkState.Ready;
        link.State = LinkState.Down;
        if (Phase != StreamPhase.Live)
        {
            // Zoom is ending the stream, or signaling is gone: nothing is reopened.
            return;
        }
        if (wasReady)
        {
            _effects.CountReconnect("media");
            Report(UpstreamState.Reconnecting, reason);
        }
        Reopen(index);
    }

    private void OnMediaFailed(int index, Exception error)
    {
        var link = _links[index];
        link.State = LinkState.Down;
        if (Phase != StreamPhase.Live)
        {
            return;
        }
        if (error is RtmsUrlRefusedException)
        {
            // The URL policy refuses this media server: stream on without it (never retried).
            Abandon(index, $"media URL refused: {error.Message}");
            return;
        }
        if (error is RtmsPayloadEncryptedException encrypted)
        {
            // Ciphertext the gateway cannot decrypt is never forwarded as media, and asking again gets the same answer:
            // stream on without these types, and say why.
            _effects.ReportMediaUnavailable(encrypted.MediaType, encrypted.Message);
            Abandon(index, encrypted.Message);
            return;
        }
        if (error is RtmsHandshakeException refusal)
        {
            if (refusal.RefusedMediaType is { } refused && link.Plan.MediaType != refused && link.Plan.MediaType.HasFlag(refused))
            {
                // One type of a unified socket is outside the app's scopes, or refused: ask again without it, at once.
                link.Plan = link.Plan with { MediaType = link.Plan.MediaType & ~refused };
                Open(index);
                return;
            }
            if (refusal.RefusedMediaType is not null)
            {
                // This socket's only type is unavailable: stream on without it.
                Abandon(index, refusal.Message);
                return;
            }
            if (!refusal.IsRetryable)
            {
                Finish(((RestartDecision.Finish)_policy.AfterRefusal(refusal)).Result);
                return;
            }
        }
        Reopen(index);
    }

    /// <summary>Gives one media link up for this connection; when that leaves none, nothing can be forwarded and the stream
    /// ends (with the last failure as its description) instead of waiting for media that cannot come.</summary>
    private void Abandon(int index, string why)
    {
        _links[index].State = LinkState.Abandoned;
        if (_links.TrueForAll(l => l.State == LinkState.Abandoned))
        {
            Finish(new RtmsStopResult(StopReason.Undefined, $"no media of the stream can be forwarded; the last media socket was given up: {why}", ByZoom: false));
            return;
        }
        if (AllMediaReady)
        {
            Report(_paused ? UpstreamState.Paused : UpstreamState.Streaming, "media flowing");
        }
    }

    private void OnStopRequested(StopReason reason)
    {
        if (_policy.RestartingFrom == reason && Phase is StreamPhase.Dialling or StreamPhase.AwaitingRedial or StreamPhase.AwaitingLease)
        {
            // The webhook of the stop signaling already reported, which this restart is answering: the first of the two
            // decided the stop.
            return;
        }
        switch (Phase)
        {
            case StreamPhase.Live:
                BeginStopping(reason);
                break;
            case StreamPhase.Dialling:
                _effects.CloseSignaling(_attempt, endStream: false);
                Apply(_policy.AfterStop(reason), $"Zoom stopped the stream ({RtmsStopResult.Describe(reason)})");
                break;
            case StreamPhase.AwaitingRedial or StreamPhase.AwaitingLease:
                Apply(_policy.AfterStop(reason), $"Zoom stopped the stream ({RtmsStopResult.Describe(reason)})");
                break;
        }
    }

    /// <summary>
    /// An <c>rtms_interrupted</c> webhook. Zoom delivers webhooks late at times (seconds, even minutes), so one may arrive
    /// after the gateway already reconnected on its own: it is about the connection before, and acting on it would tear
    /// down the healthy one. It is judged by Zoom's clock, not by when it arrived nor by this replica's clock: its
    /// <c>event_ts</c> (seconds or milliseconds) against the current connection's start on Zoom's clock — the connection's
    /// local start shifted by the offset keep-alive timestamps showed between the clocks (a sample lags by the network
    /// delay, so the estimate errs early, towards acting), and never before the <c>event_ts</c> of the webhook that
    /// started or redirected the stream or of the last interruption acted on. Without an <c>event_ts</c> it is honoured.
    /// </summary>
    private void OnReconnectRequested(long eventTimestampMs)
    {
        var eventMs = ZoomTimestamp.ToMilliseconds(eventTimestampMs);
        switch (Phase)
        {
            case StreamPhase.Live when eventMs > 0 && eventMs < ConnectionStartZoomMs:
                _effects.IgnoreStaleInterruption(eventMs, ConnectionStartZoomMs);
                break;
            case StreamPhase.Live:
                _zoomFloorMs = Math.Max(_zoomFloorMs, eventMs);
                Lose("rtms_interrupted webhook");
                break;
            case StreamPhase.AwaitingRedial:
                // Zoom says it is waiting for us: cut the backoff short.
                Dial();
                break;
        }
    }

    private void OnZoomClockSampled(long offsetMs)
    {
        _zoomOffsetMs = _offsetSampledThisConnection && _zoomOffsetMs is { } known ? Math.Max(known, offsetMs) : offsetMs;
        _offsetSampledThisConnection = true;
    }

    /// <summary>When the current signaling connection began, on Zoom's clock (ms; see <see cref="OnReconnectRequested"/>).</summary>
    private long ConnectionStartZoomMs => Math.Max(_zoomFloorMs, _openedAtLocalMs + (_zoomOffsetMs ?? 0));

    private void OnRedirected(Uri url)
    {
        _url = url;
        if (Phase is StreamPhase.Live or StreamPhase.Dialling or StreamPhase.AwaitingRedial or StreamPhase.AwaitingLease)
        {
            _effects.CloseSignaling(_attempt, endStream: false);
            Apply(_policy.Redirected(), $"failover to {url.Host}");
        }
    }

    private void OnTimer(StreamTimer timer, int generation)
    {
        switch (timer.Kind)
        {
            case StreamTimerKind.Redial when generation == _timerGeneration && Phase == StreamPhase.AwaitingRedial:
                Dial();
                break;
            case StreamTimerKind.TerminationGrace when generation == _timerGeneration && Phase == StreamPhase.Stopping:
                EndStopping();
                break;
            case StreamTimerKind.MediaProbe when generation == _probeGeneration && Phase == StreamPhase.Live:
                ProbeMedia();
                break;
            case StreamTimerKind.MediaReopen when Phase == StreamPhase.Live && timer.Link < _links.Count
                && _links[timer.Link] is { State: LinkState.Down } link && link.Generation == generation:
                Open(timer.Link);
                break;
        }
    }

    private void BeginStopping(StopReason reason)
    {
        if (Phase == StreamPhase.Stopping)
        {
            return;
        }
        _stopping = reason;
        Phase = StreamPhase.Stopping;
        _effects.StartTimer(new StreamTimer(StreamTimerKind.TerminationGrace), ++_timerGeneration, TerminationGrace);
    }

    private void EndStopping()
    {
        var reason = _stopping ?? StopReason.Undefined;
        _effects.CloseSignaling(_attempt, endStream: false);
        Apply(_policy.AfterStop(reason), $"Zoom stopped the stream ({RtmsStopResult.Describe(reason)}); restarting");
    }

    private void Lose(string reason)
    {
        _effects.CloseSignaling(_attempt, endStream: false);
        Apply(_policy.AfterLoss(), reason);
    }

    private void Apply(RestartDecision decision, string why)
    {
        switch (decision)
        {
            case RestartDecision.Finish finish:
                Finish(finish.Result);
                break;
            case RestartDecision.Retry retry:
                _effects.CountReconnect("signaling");
                Report(UpstreamState.Reconnecting, why);
                if (retry.Delay <= TimeSpan.Zero)
                {
                    Dial();
                }
                else
                {
                    Phase = StreamPhase.AwaitingRedial;
                    _effects.StartTimer(new StreamTimer(StreamTimerKind.Redial), ++_timerGeneration, retry.Delay);
                }
                break;
        }
    }

    private void Dial()
    {
        if (_time.GetElapsedTime(_leaseConfirmedAt) >= _leaseTtl)
        {
            Phase = StreamPhase.AwaitingLease;
            Report(UpstreamState.Reconnecting, "waiting for the ownership store to confirm this replica's lease before dialing Zoom");
            return;
        }
        _effects.CloseSignaling(_attempt, endStream: false);
        _attempt++;
        _offsetSampledThisConnection = false;
        _probePending = false;
        _links.Clear();
        _paused = false;
        _stopping = null;
        Phase = StreamPhase.Dialling;
        _effects.DialSignaling(_attempt, _url);
    }

    private void Open(int index)
    {
        var link = _links[index];
        link.Generation++;
        link.State = LinkState.Opening;
        _effects.OpenMedia(_attempt, index, link.Generation, link.Plan);
    }

    private void Reopen(int index)
    {
        var link = _links[index];
        link.Generation++;
        _effects.StartTimer(new StreamTimer(StreamTimerKind.MediaReopen, index), link.Generation, link.Backoff.Next());
    }

    /// <summary>
    /// Zoom says a media connection of the stream is interrupted (event 7, or stream state 2 with reason 14). Neither names
    /// the socket (DOC-ER documents only <c>timestamp</c>), so only the sockets that actually failed reconnect, each with its
    /// own 3 s → 30 s backoff (the failover guide); the others keep flowing untouched. A socket that failed has told us
    /// already (it is reopening) or tells us soon; one that Zoom lost without a close stays silent, so when every socket here
    /// still looked open, the ones that heard nothing from Zoom within <see cref="MediaProbeWindow"/> are cut and reopened.
    /// </summary>
    private void OnMediaInterruptionReported(string reason)
    {
        if (_links.Exists(l => l.State is LinkState.Down or LinkState.Opening))
        {
            // The failed socket is known and reopening with its backoff; nothing else is touched.
            return;
        }
        if (_probePending)
        {
            // Zoom reports one loss twice (event 7, then stream state 2/14): the first report's probe answers both.
            return;
        }
        _probePending = true;
        _probeSince = _time.GetTimestamp();
        _probeReason = reason;
        _effects.StartTimer(new StreamTimer(StreamTimerKind.MediaProbe), ++_probeGeneration, MediaProbeWindow);
    }

    private void ProbeMedia()
    {
        _probePending = false;
        for (var i = 0; i < _links.Count; i++)
        {
            if (_links[i].State == LinkState.Ready)
            {
                _effects.InterruptMediaIfSilent(_attempt, i, _probeSince, $"{_probeReason}; nothing arrived on this socket for {MediaProbeWindow.TotalSeconds:0.#} s after");
            }
        }
    }

    /// <summary>How long a socket may stay silent after Zoom reported a media interruption before it counts as the one lost:
    /// longer than Zoom's 10 s keep-alive interval on an idle socket (§3.9), well inside Zoom's wait for the reconnect (30-65 s),
    /// and never longer than half the keep-alive watchdog.</summary>
    private TimeSpan MediaProbeWindow => TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(15).Ticks, _options.KeepAliveTimeout.Ticks / 2));

    private void Finish(RtmsStopResult result)
    {
        _effects.CloseSignaling(_attempt, endStream: !result.ByZoom);
        End(new StreamEnding.Finished(result));
    }

    private void Relinquish(RelinquishReason reason)
    {
        _effects.CloseSignaling(_attempt, endStream: false);
        End(new StreamEnding.Relinquished(reason));
    }

    private void End(StreamEnding ending)
    {
        Phase = StreamPhase.Ended;
        Ending = ending;
    }

    private bool IsCurrent(int attempt, int link, int generation) =>
        attempt == _attempt && link >= 0 && link < _links.Count && _links[link].Generation == generation && Phase is StreamPhase.Live or StreamPhase.Stopping;

    private bool AllMediaReady =>
        _links.Count > 0 && _links.All(l => l.State is LinkState.Ready or LinkState.Abandoned) && _links.Any(l => l.State == LinkState.Ready);

    private void Report(UpstreamState state, string detail)
    {
        if (_reported == state)
        {
            return;
        }
        _reported = state;
        _effects.ReportUpstream(state, detail);
    }

    private enum LinkState
    {
        Opening,
        Ready,
        Down,
        Abandoned,
    }

    private sealed class Link(MediaLinkPlan plan, ReconnectBackoff backoff)
    {
        public MediaLinkPlan Plan { get; set; } = plan;

        public ReconnectBackoff Backoff { get; } = backoff;

        public LinkState State { get; set; } = LinkState.Opening;

        /// <summary>Bumped by every open and every reopen timer, so news of an earlier socket or timer is ignored.</summary>
        public int Generation { get; set; }
    }
}
