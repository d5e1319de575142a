using System.Net.WebSockets;
using System.Threading.Channels;
using RtmsGateway.Api.V1;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Protocol;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Rtms;

/// <summary>
/// Speaks RTMS for one stream (§5): signaling handshake, event subscription, media socket(s) with data handshake and
/// CLIENT_READY_ACK, keep-alive replies on the socket that asked, a silence watchdog per socket, and the reconnect rules
/// of §5.2 (media-only reconnect when a media socket drops, full reconnect when signaling drops, backoff 3 s doubling to
/// 30 s, reset after a successful handshake). Everything read is handed to an <see cref="IRtmsStreamSink"/> without
/// waiting on consumers. Runs until Zoom ends the stream, <see cref="Stop"/> is called, reconnecting gives up, or the
/// token is cancelled (shutdown, lost lease).
/// </summary>
internal sealed partial class RtmsStreamClient
{
    private readonly RtmsClientOptions _options;
    private readonly ZoomCredentials _credentials;
    private readonly IRtmsStreamSink _sink;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly RtmsMessageReader _reader;
    private readonly GatewayMetrics? _metrics;
    /// <summary>How long signaling is still read after TERMINATED, for the updates Zoom sends before it closes.</summary>
    private static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(2);

    private readonly Channel<ClientCommand> _commands = Channel.CreateUnbounded<ClientCommand>(new UnboundedChannelOptions { SingleReader = true });
    private RtmsStreamTarget _target;
    private long _sequence;

    public RtmsStreamClient(RtmsStreamTarget target, RtmsClientOptions options, ZoomCredentials credentials, IRtmsStreamSink sink, ILogger logger, TimeProvider time, GatewayMetrics? metrics = null)
    {
        _metrics = metrics;
        _target = target;
        _options = options;
        _credentials = credentials;
        _sink = sink;
        _logger = logger;
        _time = time;
        _reader = new RtmsMessageReader(options.MaxMessageBytes, MediaPayloadAllocation.Pooled);
    }

    public string StreamId => _target.StreamId;

    /// <summary>Upstream reconnects so far (signaling and media).</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    private int _reconnects;
    private long _signalingHandshakes;

    /// <summary>Reconnect now (an <c>rtms_interrupted</c> webhook): cuts any backoff wait short.</summary>
    public void RequestReconnect(string reason) => _commands.Writer.TryWrite(new ClientCommand.Reconnect(reason, _time.GetTimestamp()));

    /// <summary>Zoom failed over (a repeated <c>rtms_started</c>): reconnect everything to the new signaling URL.</summary>
    public void Redirect(Uri signalingUrl) => _commands.Writer.TryWrite(new ClientCommand.Redirect(signalingUrl));

    /// <summary>Zoom stopped the stream (an <c>rtms_stopped</c> webhook).</summary>
    public void Stop(StopReason reason) => _commands.Writer.TryWrite(new ClientCommand.Stop(reason));

    public async Task<RtmsStopResult> RunAsync(CancellationToken ct)
    {
        var backoff = new ReconnectBackoff(_options.ReconnectInitialDelay, _options.ReconnectMaxDelay);
        var lastHandshake = _time.GetUtcNow();
        var restart = new StopRestart(_options.RestartAttemptsAfterStop);
        _sink.OnUpstreamState(SessionState.Connecting, $"dialing {_target.SignalingUrl.Host}");
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var handshakesBefore = Volatile.Read(ref _signalingHandshakes);
            SessionOutcome outcome;
            try
            {
                outcome = await RunSignalingSessionAsync(ct);
            }
            catch (RtmsHandshakeException ex) when (!ex.IsRetryable)
            {
                if (restart.StoppedBy is { } stoppedBy)
                {
                    // Zoom did not let the stream restart (typically status 2: the stream id is gone): it is over.
                    LogRestartRefused(_target.StreamId, (int)stoppedBy, (int)ex.Status);
                    return RtmsStopResult.Requested(stoppedBy);
                }
                LogHandshakeRefused(_target.StreamId, (int)ex.Status, ex.Status, ex.Message);
                return new RtmsStopResult(ex.Status == StatusCode.InvalidSignature ? StopReason.AuthenticationFailure : StopReason.Undefined, ex.Message, ByZoom: false);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && IsConnectionFailure(ex))
            {
                outcome = new SessionOutcome.Lost(Describe(ex));
            }

            if (Volatile.Read(ref _signalingHandshakes) != handshakesBefore)
            {
                // Zoom accepted a signaling handshake: reconnecting starts over at the first delay (§5.2).
                backoff.Reset();
                lastHandshake = _time.GetUtcNow();
                restart.Clear();
            }
            var immediate = false;
            switch (outcome)
            {
                case SessionOutcome.Stopped stopped:
                    return stopped.Result;
                case SessionOutcome.Redirected:
                    backoff.Reset();
                    lastHandshake = _time.GetUtcNow();
                    immediate = true;
                    break;
                case SessionOutcome.Restart r:
                    // Stop reasons 10-19 and 24 call for a full restart (§3.8, §5.2); the first attempt goes at once.
                    immediate = restart.Begin(r.Reason);
                    break;
            }
            if (restart.StoppedBy is { } reason)
            {
                if (!restart.TryAttempt())
                {
                    LogRestartGaveUp(_target.StreamId, (int)reason, _options.RestartAttemptsAfterStop);
                    return RtmsStopResult.Requested(reason);
                }
            }
            else if (_time.GetUtcNow() - lastHandshake > _options.ReconnectGiveUpAfter)
            {
                var description = $"no successful handshake for {_options.ReconnectGiveUpAfter.TotalSeconds:0} s; gave up reconnecting";
                LogGaveUp(_target.StreamId, description);
                return new RtmsStopResult(StopReason.AwaitReconnectionTimeout, description, ByZoom: false);
            }

            Interlocked.Increment(ref _reconnects);
            _metrics?.Reconnect("signaling");
            var why = outcome switch
            {
                SessionOutcome.Lost lost => lost.Reason,
                SessionOutcome.Redirected r => $"failover to {r.Url.Host}",
                SessionOutcome.Restart r => $"Zoom stopped the stream ({RtmsStopResult.Describe(r.Reason)}); restarting",
                _ => "reconnecting",
            };
            _sink.OnUpstreamState(SessionState.Reconnecting, why);
            if (immediate)
            {
                continue;
            }
            var delay = backoff.Next();
            LogReconnecting(_target.StreamId, why, delay.TotalMilliseconds);
            var interrupted = await WaitForCommandOrDelayAsync(delay, ct);
            if (interrupted is RtmsStopResult stop)
            {
                if (!StopRestart.IsRestartable(stop.Reason))
                {
                    return stop;
                }
                restart.Begin(stop.Reason);
            }
        }
    }

    /// <summary>Waits out a backoff delay. A reconnect request or redirect ends the wait early; a stop ends the client.</summary>
    private async Task<RtmsStopResult?> WaitForCommandOrDelayAsync(TimeSpan delay, CancellationToken ct)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(delay);
        try
        {
            while (await _commands.Reader.WaitToReadAsync(timer.Token))
            {
                while (_commands.Reader.TryRead(out var command))
                {
                    switch (command)
                    {
                        case ClientCommand.Stop stop:
                            return RtmsStopResult.Requested(stop.Reason);
                        case ClientCommand.Redirect redirect:
                            _target = _target with { SignalingUrl = redirect.Url };
                            return null;
                        case ClientCommand.Reconnect:
                            return null;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
        return null;
    }

    private async Task<SessionOutcome> RunSignalingSessionAsync(CancellationToken ct)
    {
        using var sessionCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var session = sessionCts.Token;
        await using var signaling = await RtmsSocket.ConnectAsync(_target.SignalingUrl, _reader, _options.HandshakeTimeout, session);
        var signature = _credentials.Sign(_target.InstanceId, _target.StreamId);
        await signaling.SendAsync(new SignalingHandshakeRequest
        {
            Sequence = Interlocked.Increment(ref _sequence),
            MeetingUuid = _target.InstanceId,
            RtmsStreamId = _target.StreamId,
            Signature = signature,
            BufferData = _options.BufferData ? null : false,
        }, session);
        var response = await ReceiveHandshakeResponseAsync<SignalingHandshakeResponse>(signaling, session);
        if (response.StatusCode != StatusCode.Ok)
        {
            throw new RtmsHandshakeException(response.StatusCode, response.Reason, signaling: true);
        }
        Interlocked.Increment(ref _signalingHandshakes);
        var connectedAt = _time.GetTimestamp();
        LogSignalingReady(_target.StreamId, _target.SignalingUrl.Host);
        await signaling.SendAsync(new EventSubscription
        {
            Events = [.. (_target.Product == RtmsProduct.ContactCenter ? _options.ContactCenterEvents : _options.MeetingEvents)
                .Select(t => new EventSubscriptionItem { EventType = t, Subscribe = true })],
        }, session);

        var links = PlanMediaLinks(response.MediaServer);
        if (links.Count == 0)
        {
            throw new RtmsHandshakeException(StatusCode.InvalidMediaType, "the signaling response offered no media URL for the requested media types", signaling: true);
        }
        var flags = new StreamFlags();
        var readiness = new MediaReadiness(links.Count, () => _sink.OnUpstreamState(flags.Paused ? SessionState.Paused : SessionState.Streaming, "media flowing"));
        var outcome = new TaskCompletionSource<SessionOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = new List<Task>
        {
            ReadSignalingAsync(signaling, links, readiness, flags, outcome, session),
            ReadCommandsAsync(outcome, connectedAt, session),
        };
        tasks.AddRange(links.Select(link => RunMediaLinkAsync(link, signaling, signature, readiness, flags, outcome, session)));

        SessionOutcome? result = null;
        try
        {
            result = await outcome.Task.WaitAsync(ct);
            return result;
        }
        finally
        {
            if (result is SessionOutcome.Stopped { Result.ByZoom: false })
            {
                // The gateway ends the stream itself: tell Zoom (STREAM_CLOSE_REQ) so it frees the stream at once.
                await TrySendAsync(signaling, new StreamCloseRequest { RtmsStreamId = _target.StreamId });
            }
            await sessionCts.CancelAsync();
            await signaling.CloseAsync(WebSocketCloseStatus.NormalClosure, "closing", CancellationToken.None);
            await Task.WhenAll(tasks.Select(t => t.ContinueWith(static _ => { }, TaskScheduler.Default)));
        }
    }

    private async Task ReadCommandsAsync(TaskCompletionSource<SessionOutcome> outcome, long connectedAt, CancellationToken session)
    {
        try
        {
            ClientCommand command;
            do
            {
                command = await _commands.Reader.ReadAsync(session);
            }
            while (command is ClientCommand.Reconnect stale && stale.IssuedAt < connectedAt);
            switch (command)
            {
                case ClientCommand.Stop stop:
                    outcome.TrySetResult(StoppedByZoom(stop.Reason));
                    break;
                case ClientCommand.Redirect redirect:
                    _target = _target with { SignalingUrl = redirect.Url };
                    outcome.TrySetResult(new SessionOutcome.Redirected(redirect.Url));
                    break;
                case ClientCommand.Reconnect reconnect:
                    outcome.TrySetResult(new SessionOutcome.Lost(reconnect.Reason));
                    break;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReadSignalingAsync(RtmsSocket signaling, IReadOnlyList<MediaLink> links, MediaReadiness readiness, StreamFlags flags, TaskCompletionSource<SessionOutcome> outcome, CancellationToken session)
    {
        using var watchdog = new SilenceWatchdog(_options.KeepAliveTimeout, _time, session);
        // Set by STREAM_STATE_UPDATE TERMINATED: Zoom still sends the sessions' STOPPED updates and closes; read those
        // (within a short grace) so subscribers get them, then end.
        StopReason? terminatedBy = null;
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(session);
        try
        {
            while (!session.IsCancellationRequested)
            {
                var received = await signaling.ReceiveAsync(terminatedBy is null ? watchdog.Token : grace.Token);
                watchdog.Seen();
                if (received.IsClosed)
                {
                    outcome.TrySetResult(terminatedBy is { } reason
                        ? StoppedByZoom(reason)
                        : new SessionOutcome.Lost($"signaling closed by Zoom ({received.CloseStatus} {received.CloseDescription})".TrimEnd()));
                    return;
                }
                if (received.Error is { } error)
                {
                    _metrics?.BadFrame();
                    LogBadFrame(_target.StreamId, "signaling", error.Error, error.Message);
                    continue;
                }
                switch (received.Value)
                {
                    case KeepAliveRequest ping:
                        await signaling.SendAsync(new KeepAliveResponse { Timestamp = ping.Timestamp }, session);
                        break;
                    case EventUpdate update:
                        _sink.OnEvent(update);
                        if (update.Event.EventType == (int)EventType.MediaConnectionInterrupted)
                        {
                            InterruptMedia(links, readiness, "Zoom reported the media connection interrupted");
                        }
                        break;
                    case StreamStateUpdate state:
                        _sink.OnStreamState(state);
                        if (state.State is RtmsStreamState.Terminated or RtmsStreamState.Terminating)
                        {
                            terminatedBy ??= state.Reason ?? StopReason.Undefined;
                            flags.Terminating = true;
                            grace.CancelAfter(TerminationGrace);
                            break;
                        }
                        if (state.State == RtmsStreamState.Interrupted && state.Reason == StopReason.DataConnectionInterrupted)
                        {
                            InterruptMedia(links, readiness, "Zoom reported the data connection interrupted");
                        }
                        else if (state.State == RtmsStreamState.Paused)
                        {
                            // Remembered, so a media socket that reconnects meanwhile does not report "streaming".
                            flags.Paused = true;
                            _sink.OnUpstreamState(SessionState.Paused, "paused in Zoom");
                        }
                        else if (state.State is RtmsStreamState.Resumed or RtmsStreamState.Active)
                        {
                            flags.Paused = false;
                            if (readiness.AllReady)
                            {
                                _sink.OnUpstreamState(SessionState.Streaming, "resumed");
                            }
                        }
                        break;
                    case SessionStateUpdate sessionState:
                        _sink.OnSessionState(sessionState);
                        break;
                    case { } other:
                        LogIgnored(_target.StreamId, "signaling", (int)other.MsgType);
                        break;
                }
            }
        }
        catch (Exception ex) when (!session.IsCancellationRequested && terminatedBy is { } reason && (ex is OperationCanceledException || IsConnectionFailure(ex)))
        {
            // The grace ran out, or Zoom dropped the socket instead of closing it: the stream is over all the same.
            signaling.Abort();
            outcome.TrySetResult(StoppedByZoom(reason));
        }
        catch (OperationCanceledException) when (!session.IsCancellationRequested)
        {
            LogSilent(_target.StreamId, "signaling", _options.KeepAliveTimeout.TotalSeconds);
            signaling.Abort();
            outcome.TrySetResult(new SessionOutcome.Lost($"no message on signaling for {_options.KeepAliveTimeout.TotalSeconds:0} s"));
        }
        catch (Exception ex) when (!session.IsCancellationRequested && IsConnectionFailure(ex))
        {
            outcome.TrySetResult(new SessionOutcome.Lost($"signaling failed: {Describe(ex)}"));
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            // Never leave the session half-alive (keep-alives unanswered, nobody reconnecting): reconnect.
            LogLoopFailed(ex, _target.StreamId, "signaling");
            outcome.TrySetResult(new SessionOutcome.Lost($"signaling loop failed: {ex.Message}"));
        }
    }

    private static void InterruptMedia(IReadOnlyList<MediaLink> links, MediaReadiness readiness, string reason)
    {
        foreach (var link in links)
        {
            link.Interrupt(reason);
            readiness.MarkNotReady(link);
        }
    }

    /// <summary>One media socket's life within a signaling session: connect, handshake, ACK, read; reconnect alone when it drops.</summary>
    private async Task RunMediaLinkAsync(MediaLink link, RtmsSocket signaling, string signature, MediaReadiness readiness, StreamFlags flags, TaskCompletionSource<SessionOutcome> outcome, CancellationToken session)
    {
        var backoff = new ReconnectBackoff(_options.ReconnectInitialDelay, _options.ReconnectMaxDelay);
        var immediate = true;
        while (!session.IsCancellationRequested && !flags.Terminating)
        {
            if (!immediate)
            {
                try
                {
                    await Task.Delay(backoff.Next(), _time, session);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            immediate = false;
            using var attempt = link.BeginAttempt(session);
            try
            {
                await using var media = await RtmsSocket.ConnectAsync(link.Url, _reader, _options.HandshakeTimeout, attempt.Token);
                string reason;
                try
                {
                    await media.SendAsync(new DataHandshakeRequest
                    {
                        Sequence = Interlocked.Increment(ref _sequence),
                        MeetingUuid = _target.InstanceId,
                        RtmsStreamId = _target.StreamId,
                        Signature = signature,
                        MediaType = link.MediaType,
                        PayloadEncryption = false,
                        MediaParams = RtmsMediaRequest.Build(_options, link.MediaType),
                    }, attempt.Token);
                    var response = await ReceiveHandshakeResponseAsync<DataHandshakeResponse>(media, attempt.Token);
                    if (response.StatusCode != StatusCode.Ok)
                    {
                        throw new RtmsHandshakeException(response.StatusCode, response.Reason, signaling: false);
                    }
                    _sink.OnMediaNegotiated(link.MediaType, response.MediaParams ?? MediaParamsDefaults.Effective(link.MediaType, null));
                    // The session's token, not the attempt's: cancelling a send aborts the socket, and this one is signaling.
                    await signaling.SendAsync(new ClientReadyAck { RtmsStreamId = _target.StreamId }, session);
                    backoff.Reset();
                    readiness.MarkReady(link);
                    LogMediaReady(_target.StreamId, link.MediaType, link.Url.Host);
                    reason = await ReadMediaAsync(media, link, attempt.Token);
                }
                finally
                {
                    // A close frame, not a dropped TCP connection: Zoom must not count it as an abnormal close (reason 16).
                    await media.CloseAsync(WebSocketCloseStatus.NormalClosure, "closing", CancellationToken.None);
                }
                readiness.MarkNotReady(link);
                if (session.IsCancellationRequested || flags.Terminating)
                {
                    return;
                }
                Interlocked.Increment(ref _reconnects);
                _metrics?.Reconnect("media");
                _sink.OnUpstreamState(SessionState.Reconnecting, reason);
                LogMediaLost(_target.StreamId, link.MediaType, reason);
                immediate = link.TakeInterruptSignal();
            }
            catch (RtmsHandshakeException ex) when (ex.RefusedMediaType is { } refused && link.MediaType != refused && link.MediaType.HasFlag(refused))
            {
                // One type of a unified socket is unavailable (scope) or refused: ask again without it, at once.
                LogMediaTypeDropped(_target.StreamId, refused, (int)ex.Status, ex.Status);
                link.Without(refused);
                immediate = true;
            }
            catch (RtmsHandshakeException ex) when (ex.RefusedMediaType is not null)
            {
                // This socket's only type is unavailable or refused: stream on without it.
                LogHandshakeRefused(_target.StreamId, (int)ex.Status, ex.Status, ex.Message);
                readiness.Abandon(link);
                return;
            }
            catch (RtmsHandshakeException) when (flags.Terminating)
            {
                // Zoom is ending the stream; signaling reports how.
                return;
            }
            catch (RtmsHandshakeException ex) when (!ex.IsRetryable)
            {
                LogHandshakeRefused(_target.StreamId, (int)ex.Status, ex.Status, ex.Message);
                outcome.TrySetResult(new SessionOutcome.Stopped(new RtmsStopResult(ex.Status == StatusCode.InvalidSignature ? StopReason.AuthenticationFailure : StopReason.Undefined, ex.Message, ByZoom: false)));
                return;
            }
            catch (Exception ex) when (!session.IsCancellationRequested && (IsConnectionFailure(ex) || ex is OperationCanceledException))
            {
                readiness.MarkNotReady(link);
                LogMediaLost(_target.StreamId, link.MediaType, Describe(ex));
                immediate = link.TakeInterruptSignal();
            }
            catch (Exception) when (session.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A defect must not leave this media type dead for the rest of the stream: log it, reconnect with backoff.
                LogLoopFailed(ex, _target.StreamId, "media");
                readiness.MarkNotReady(link);
            }
        }
    }

    private async Task<string> ReadMediaAsync(RtmsSocket media, MediaLink link, CancellationToken attempt)
    {
        using var watchdog = new SilenceWatchdog(_options.KeepAliveTimeout, _time, attempt);
        try
        {
            while (true)
            {
                var received = await media.ReceiveAsync(watchdog.Token);
                watchdog.Seen();
                if (received.IsClosed)
                {
                    return $"media socket closed by Zoom ({received.CloseStatus})";
                }
                if (received.Error is { } error)
                {
                    _metrics?.BadFrame();
                    LogBadFrame(_target.StreamId, "media", error.Error, error.Message);
                    continue;
                }
                switch (received.Value)
                {
                    case MediaDataMessage data:
                        // The sink copies what it keeps (it encodes the response at once); the pooled payload goes back.
                        using (data)
                        {
                            _sink.OnMedia(data);
                        }
                        break;
                    case KeepAliveRequest ping:
                        await media.SendAsync(new KeepAliveResponse { Timestamp = ping.Timestamp }, attempt);
                        break;
                    case { } other:
                        LogIgnored(_target.StreamId, "media", (int)other.MsgType);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (!attempt.IsCancellationRequested)
        {
            media.Abort();
            return $"no message on the media socket for {_options.KeepAliveTimeout.TotalSeconds:0} s";
        }
        catch (OperationCanceledException) when (link.InterruptReason is { } interrupted)
        {
            media.Abort();
            return interrupted;
        }
        catch (Exception ex) when (IsConnectionFailure(ex) && !attempt.IsCancellationRequested)
        {
            return $"media socket failed: {Describe(ex)}";
        }
    }

    /// <summary>Reads until the handshake response, answering keep-alives that arrive first.</summary>
    private async Task<T> ReceiveHandshakeResponseAsync<T>(RtmsSocket socket, CancellationToken ct) where T : RtmsMessage
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.HandshakeTimeout);
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(timeout.Token);
                if (received.IsClosed)
                {
                    throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, $"closed before the handshake response ({received.CloseStatus} {received.CloseDescription})");
                }
                switch (received.Value)
                {
                    case T response:
                        return response;
                    case KeepAliveRequest ping:
                        await socket.SendAsync(new KeepAliveResponse { Timestamp = ping.Timestamp }, timeout.Token);
                        break;
                    default:
                        if (received.Error is { } error)
                        {
                            LogBadFrame(_target.StreamId, "handshake", error.Error, error.Message);
                        }
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no {typeof(T).Name} within {_options.HandshakeTimeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>Zoom ended the stream: a stop to honour, or one to restart from.</summary>
    private static SessionOutcome StoppedByZoom(StopReason reason) =>
        StopRestart.IsRestartable(reason) ? new SessionOutcome.Restart(reason) : new SessionOutcome.Stopped(RtmsStopResult.Requested(reason));

    /// <summary>Best effort, bounded: used while tearing a connection down.</summary>
    private static async Task TrySendAsync(RtmsSocket socket, RtmsMessage message)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.SendAsync(message, timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException || IsConnectionFailure(ex))
        {
        }
    }

    private List<MediaLink> PlanMediaLinks(MediaServerInfo? server)
    {
        if (server is null)
        {
            return [];
        }
        var wanted = _options.MediaTypes;
        if (_options.MediaConnectionMode == MediaConnectionMode.Unified && server.UrlFor(MediaServerKeys.All) is { } all)
        {
            return [new MediaLink(wanted, new Uri(all))];
        }
        // Split mode, or no "all" URL offered (the set depends on the app's scopes): one socket per type.
        var links = new List<MediaLink>();
        foreach (var (type, key) in SplitKeys)
        {
            if (wanted.HasFlag(type) && server.UrlFor(key) is { } url)
            {
                links.Add(new MediaLink(type, new Uri(url)));
            }
        }
        return links;
    }

    private static readonly (MediaDataType Type, string Key)[] SplitKeys =
    [
        (MediaDataType.Audio, MediaServerKeys.Audio),
        (MediaDataType.Video, MediaServerKeys.Video),
        (MediaDataType.Deskshare, MediaServerKeys.ScreenShare),
        (MediaDataType.Transcript, MediaServerKeys.Transcript),
        (MediaDataType.Chat, MediaServerKeys.Chat),
    ];

    private static bool IsConnectionFailure(Exception ex) =>
        ex is WebSocketException or IOException or TimeoutException or HttpRequestException or System.Net.Sockets.SocketException or ObjectDisposedException
        || (ex is RtmsHandshakeException h && h.IsRetryable);

    private static string Describe(Exception ex) => ex switch
    {
        WebSocketException ws => $"{ws.WebSocketErrorCode}: {ws.Message}",
        _ => ex.Message,
    };
}
