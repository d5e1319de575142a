using System.Threading.Channels;
using RtmsGateway.Api.V1;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using RtmsGateway.Protocol;
using RtmsGateway.Rtms;
using RtmsGateway.Timing;

namespace RtmsGateway.Sessions.Lifecycle;

/// <summary>
/// One RTMS stream on its owner replica: a single event loop that feeds every <see cref="StreamEvent"/> to the stream's
/// <see cref="StreamStateMachine"/> and carries out what it decides — sockets, timers, the hub's state, announcements. Socket
/// loops, timers, the lease keeper and webhook commands only post events; media goes straight from the sockets to the hub
/// and never through the loop. When the machine has decided the stream's end here, the loop closes everything and settles
/// it: completes the hub and forgets the record (the stream is over), or ends subscribers with UNAVAILABLE and releases the
/// lease (the stream lives on elsewhere).
/// </summary>
internal sealed partial class StreamSession : IStreamEffects, IDisposable
{
    private static readonly TimeSpan TeardownTimeout = TimeSpan.FromSeconds(5);

    private readonly Channel<StreamEvent> _events = Channel.CreateUnbounded<StreamEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<int, SignalingAttempt> _attempts = [];
    private readonly Dictionary<StreamTimer, ITimer> _timers = [];
    private readonly List<Task> _teardowns = [];
    private readonly CancellationTokenSource _lifetime = new();
    private readonly StreamStateMachine _machine;
    private readonly UpstreamContext _upstream;
    private readonly IOwnershipStore _ownership;
    private readonly OwnershipJanitor _janitor;
    private readonly ISessionCatalog _catalog;
    private readonly GatewayMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CommandDeduplication _commands;
    private SessionStartTrace? _startTrace;

    public StreamSession(SessionHub hub, OwnershipLease lease, UpstreamContext upstream, IOwnershipStore ownership, OwnershipJanitor janitor, ISessionCatalog catalog, Random jitter)
    {
        Hub = hub;
        Lease = lease;
        _upstream = upstream;
        _ownership = ownership;
        _janitor = janitor;
        _catalog = catalog;
        _metrics = upstream.Metrics;
        _logger = upstream.Logger;
        _time = upstream.Time;
        _commands = new CommandDeduplication(lease.Record);
        _machine = new StreamStateMachine(upstream.Target.SignalingUrl, upstream.Options, ownership.LeaseTtl, upstream.Time, jitter, this, lease.Record.EventTimestamp);
        if (upstream.Options.VideoMode == Configuration.VideoMode.Individual && upstream.Options.MediaTypes.HasFlag(MediaDataType.Video))
        {
            hub.IndividualVideo.Enable();
        }
    }

    public SessionHub Hub { get; }

    public OwnershipLease Lease { get; }

    public string StreamId => Hub.StreamId;

    /// <summary>Applies a webhook's command, once per delivery (Zoom retries; a webhook reaches the owner directly and again
    /// forwarded). False when it was a repeat.</summary>
    public bool Apply(SessionCommand command)
    {
        if (!_commands.FirstTime(command))
        {
            return false;
        }
        switch (command.Kind)
        {
            case SessionCommandKind.Redirect when Uri.TryCreate(command.SignalingUrl, UriKind.Absolute, out var url):
                // A new rtms_started for a stream this replica runs: Zoom's RTMS server failed over (§5.2).
                LogFailover(StreamId, url.Host);
                Post(new StreamEvent.Redirected(url, command.EventTimestamp));
                break;
            case SessionCommandKind.Reconnect:
                Post(new StreamEvent.ReconnectRequested(command.EventTimestamp));
                break;
            case SessionCommandKind.Stop:
                Post(new StreamEvent.StopRequested(command.StopReason));
                break;
        }
        return true;
    }

    /// <summary>Traces this start (under the current span: the webhook's, or the takeover's) until Zoom's first media, and
    /// measures it from the webhook's acceptance or, for a takeover, from now (the claim).</summary>
    public void TraceStart(bool takeover)
    {
        var trace = new SessionStartTrace(StreamId, Lease.Epoch, takeover ? "takeover" : "webhook", takeover ? _time.GetUtcNow() : Hub.Record.AcceptedAt, _time, _metrics);
        _startTrace = trace;
        Hub.FirstMedia += trace.FirstMedia;
    }

    /// <summary>This replica shuts down: close the RTMS connection without ending the stream and hand it over.</summary>
    public void Drain() => Post(new StreamEvent.DrainRequested());

    public void Post(StreamEvent e) => _events.Writer.TryWrite(e);

    /// <summary>Runs the stream here until its end is decided and settled.</summary>
    public async Task<StreamEnding> RunAsync()
    {
        var keeper = KeepLeaseAsync(_lifetime.Token);
        StreamEnding ending;
        try
        {
            _machine.Start();
            ending = _machine.Ending ?? await LoopAsync();
        }
        catch (Exception ex)
        {
            // A defect here must not leave the stream half-alive or stop the host: hand the stream to another replica.
            _metrics?.BackgroundFailure("stream_session");
            LogSessionFailed(ex, StreamId);
            ending = new StreamEnding.Relinquished(RelinquishReason.Failure);
        }
        _events.Writer.TryComplete();
        _startTrace?.Dispose();
        await ShutDownAsync(keeper, ending);
        await SettleAsync(ending);
        Dispose();
        return ending;
    }

    private async Task<StreamEnding> LoopAsync()
    {
        await foreach (var e in _events.Reader.ReadAllAsync())
        {
            _machine.Handle(e);
            if (_machine.Ending is { } ending)
            {
                return ending;
            }
        }
        throw new InvalidOperationException("The event channel completed before the stream ended.");
    }

    private async Task ShutDownAsync(Task keeper, StreamEnding ending)
    {
        foreach (var id in _attempts.Keys.ToList())
        {
            CloseSignaling(id, endStream: ending is StreamEnding.Finished { Result.ByZoom: false });
        }
        foreach (var timer in _timers.Values)
        {
            timer.Dispose();
        }
        _timers.Clear();
        // Each teardown sends its close frames before it cancels its reads; then everything else stops.
        await WithinAsync(Task.WhenAll(_teardowns), "closing the connections");
        await _lifetime.CancelAsync();
        await keeper;
    }

    public void Dispose() => _lifetime.Dispose();

    private async Task SettleAsync(StreamEnding ending)
    {
        switch (ending)
        {
            case StreamEnding.Finished finished:
                if (Hub.Complete(finished.Result.Reason, finished.Result.Description))
                {
                    _catalog.Announce(Hub.Snapshot(), SessionChange.Stopped);
                }
                LogStopped(StreamId, (int)finished.Result.Reason, finished.Result.Description);
                await _janitor.ForgetAsync(StreamId);
                break;
            case StreamEnding.Relinquished { Reason: var reason }:
                Hub.AbortSubscribers(new SessionUnavailableException(reason switch
                {
                    RelinquishReason.Drain => "This replica is shutting down; reconnect and resume.",
                    RelinquishReason.LeaseLost => "This replica lost ownership of the session; reconnect and resume.",
                    _ => "This replica stopped serving the session; reconnect and resume.",
                }, draining: reason == RelinquishReason.Drain));
                LogRelinquished(StreamId, reason);
                if (reason != RelinquishReason.LeaseLost)
                {
                    // The RTMS connection is closed by now: hand the session over at once instead of waiting for the TTL.
                    await _janitor.ReleaseAsync(Lease);
                }
                break;
        }
    }

    /// <summary>Renews the lease every third of its TTL and posts the outcome. A refused renewal means another replica owns
    /// the stream; an unreachable store is counted and retried (the machine stops dialling Zoom once the lease is unconfirmed
    /// for a whole TTL, but keeps what is connected streaming).</summary>
    private async Task KeepLeaseAsync(CancellationToken ct)
    {
        var interval = _ownership.LeaseTtl / 3;
        // While the store is unreachable, retry often: the moment it answers again, this owner re-asserts its lease before
        // another replica's takeover scan (which waits out a grace for exactly that) could claim the stream.
        var retry = TimeSpan.FromMilliseconds(Math.Min(250, interval.TotalMilliseconds));
        var unavailable = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(unavailable ? retry : interval, _time, ct);
                var startedAt = _time.GetTimestamp();
                using var timeout = new TimeoutScope(interval, _time, ct);
                bool renewed;
                try
                {
                    renewed = await _ownership.RenewAsync(Lease, timeout.Token);
                }
                catch (OperationCanceledException) when (timeout.TimedOut && !ct.IsCancellationRequested)
                {
                    throw new OwnershipStoreUnavailableException($"no answer within {interval.TotalMilliseconds:0} ms");
                }
                if (!renewed)
                {
                    _metrics?.LeaseFailed("lost");
                    LogLeaseLost(StreamId, Lease.Epoch);
                    Post(new StreamEvent.LeaseLost());
                    return;
                }
                _metrics?.LeaseRenewed();
                if (unavailable)
                {
                    unavailable = false;
                    LogLeaseReasserted(StreamId, Lease.Epoch);
                }
                Post(new StreamEvent.LeaseConfirmed(startedAt));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _metrics?.LeaseFailed("unavailable");
                if (!unavailable)
                {
                    unavailable = true;
                    LogRenewUnavailable(StreamId, ex.Message);
                }
            }
        }
    }

    void IStreamEffects.DialSignaling(int attempt, Uri url)
    {
        var signaling = new SignalingAttempt(attempt, CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token));
        _attempts[attempt] = signaling;
        signaling.Run = RunSignalingAsync(signaling, url);
    }

    public void CloseSignaling(int attempt, bool endStream)
    {
        if (_attempts.Remove(attempt, out var signaling))
        {
            _teardowns.Add(CloseAttemptAsync(signaling, endStream));
        }
    }

    void IStreamEffects.OpenMedia(int attempt, int link, int generation, MediaLinkPlan plan)
    {
        if (_attempts.TryGetValue(attempt, out var signaling) && signaling.Connection is { } connection)
        {
            // The slot it replaces stays alive with the attempt: its socket's task may still be finishing.
            var slot = new MediaSlot(CancellationTokenSource.CreateLinkedTokenSource(signaling.Token));
            signaling.Slots.Add(slot);
            signaling.Links[link] = slot;
            signaling.Media.Add(RunMediaAsync(signaling, connection, link, generation, plan, slot));
        }
    }

    void IStreamEffects.InterruptMediaIfSilent(int attempt, int link, long since, string reason)
    {
        if (_attempts.TryGetValue(attempt, out var signaling) && signaling.Links.TryGetValue(link, out var slot)
            && slot.Connection is { } media && media.LastReceivedAt < since)
        {
            slot.Interrupt(reason);
        }
    }

    void IStreamEffects.StartTimer(StreamTimer timer, int generation, TimeSpan delay)
    {
        if (_timers.Remove(timer, out var previous))
        {
            previous.Dispose();
        }
        _timers[timer] = _time.CreateTimer(_ => Post(new StreamEvent.TimerElapsed(timer, generation)), null, delay, Timeout.InfiniteTimeSpan);
    }

    void IStreamEffects.ReportUpstream(UpstreamState state, string detail)
    {
        if (state == UpstreamState.Streaming)
        {
            _startTrace?.Connected();
        }
        if (Hub.SetUpstreamState(state, detail))
        {
            _catalog.Announce(Hub.Snapshot(), SessionChange.StateChanged);
        }
        if (state == UpstreamState.Reconnecting)
        {
            LogReconnecting(StreamId, detail);
        }
    }

    void IStreamEffects.ReportMediaUnavailable(MediaDataType mediaType, string detail)
    {
        LogMediaUnavailable(StreamId, mediaType, detail);
        Hub.PublishUpstreamNotice(detail);
    }

    void IStreamEffects.IgnoreStaleInterruption(long eventTimestampMs, long connectionStartMs) =>
        LogStaleInterruption(StreamId, eventTimestampMs, connectionStartMs, connectionStartMs - eventTimestampMs);

    void IStreamEffects.CountReconnect(string socket)
    {
        Hub.CountReconnect();
        _metrics?.Reconnect(socket);
    }

    private async Task RunSignalingAsync(SignalingAttempt signaling, Uri url)
    {
        await Task.Yield();
        SignalingConnection connection;
        try
        {
            connection = await SignalingConnection.OpenAsync(_upstream, url, signaling.Token);
        }
        catch (OperationCanceledException) when (signaling.Token.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            if (ex is RtmsHandshakeException refusal)
            {
                LogHandshakeRefused(StreamId, (int)refusal.Status, refusal.Status, refusal.Message);
            }
            else if (!RtmsFailures.IsConnectionFailure(ex))
            {
                LogLoopFailed(ex, StreamId, "signaling");
            }
            else
            {
                // Once per attempt (the backoff bounds them), with the cause: "Unable to connect" alone says nothing.
                LogSignalingFailed(StreamId, url.Host, RtmsFailures.Describe(ex));
            }
            Post(new StreamEvent.SignalingFailed(signaling.Id, ex));
            return;
        }
        signaling.Connection = connection;
        Post(new StreamEvent.SignalingOpened(signaling.Id, MediaPlan.For(connection.MediaServer, _upstream.Options)));
        string? reason;
        try
        {
            reason = await connection.ReadAsync(message => OnSignalingMessage(signaling.Id, message), signaling.Token);
        }
        catch (Exception ex)
        {
            // Never leave the stream half-alive (keep-alives unanswered, nobody reconnecting): report it lost.
            LogLoopFailed(ex, StreamId, "signaling");
            reason = $"signaling loop failed: {ex.Message}";
        }
        if (reason is not null)
        {
            Post(new StreamEvent.SignalingEnded(signaling.Id, reason));
        }
    }

    private void OnSignalingMessage(int attempt, RtmsMessage message)
    {
        switch (message)
        {
            case EventUpdate update:
                Hub.OnEvent(update);
                if (update.Event.EventType == (int)EventType.MediaConnectionInterrupted)
                {
                    Post(new StreamEvent.MediaInterruptionReported(attempt));
                }
                break;
            case StreamStateUpdate state:
                // Published before the machine hears of it, so a TERMINATED update reaches subscribers before SessionEnded.
                Hub.OnStreamState(state);
                Post(new StreamEvent.StreamStateReported(attempt, state.State, state.Reason));
                break;
            case SessionStateUpdate session:
                Hub.OnSessionState(session);
                break;
            case VideoSubscriptionResponse video:
                LogVideoSubscription(StreamId, video.UserId, (int)video.StatusCode, video.Reason ?? string.Empty);
                Hub.IndividualVideo.OnResponse(video);
                break;
            case KeepAliveRequest ping:
                // Answered already; its timestamp is Zoom's clock, which webhook event_ts values are judged against.
                Post(new StreamEvent.ZoomClockSampled(attempt, ping.Timestamp, _time.GetUtcNow().ToUnixTimeMilliseconds()));
                break;
            default:
                LogIgnored(StreamId, (int)message.MsgType);
                break;
        }
    }

    private async Task RunMediaAsync(SignalingAttempt signaling, SignalingConnection connection, int link, int generation, MediaLinkPlan plan, MediaSlot slot)
    {
        await Task.Yield();
        MediaConnection media;
        try
        {
            media = await MediaConnection.OpenAsync(_upstream, plan, connection, slot.Token);
        }
        catch (OperationCanceledException) when (slot.Token.IsCancellationRequested)
        {
            if (!signaling.Token.IsCancellationRequested)
            {
                Post(new StreamEvent.MediaEnded(signaling.Id, link, generation, slot.InterruptReason ?? "media socket cut"));
            }
            return;
        }
        catch (Exception ex)
        {
            LogMediaFailed(StreamId, plan.MediaType, RtmsFailures.Describe(ex));
            if (ex is RtmsPayloadEncryptedException)
            {
                await AcknowledgeGivenUpAsync(signaling, connection);
            }
            Post(new StreamEvent.MediaFailed(signaling.Id, link, generation, ex));
            return;
        }
        slot.Connection = media;
        await using (media)
        {
            string? reason;
            try
            {
                Hub.OnMediaNegotiated(plan.MediaType, media.Negotiated);
                // The attempt's token, not the socket's: cancelling a send aborts the socket, and this one is signaling.
                await connection.SendReadyAckAsync(signaling.Token);
                Post(new StreamEvent.MediaOpened(signaling.Id, link, generation));
                LogMediaReady(StreamId, plan.MediaType, plan.Url.Host);
                reason = await ReadMediaAsync(media, connection, signaling.Token, slot.Token);
            }
            catch (Exception ex) when (!signaling.Token.IsCancellationRequested)
            {
                // A defect must not leave this media type dead for the rest of the stream: report it, reopen with backoff.
                if (!RtmsFailures.IsConnectionFailure(ex))
                {
                    LogLoopFailed(ex, StreamId, "media");
                }
                reason = $"media loop failed: {RtmsFailures.Describe(ex)}";
            }
            catch (Exception)
            {
                return;
            }
            if (!signaling.Token.IsCancellationRequested)
            {
                reason ??= slot.InterruptReason ?? "media socket cut";
                LogMediaLost(StreamId, plan.MediaType, reason);
                Post(new StreamEvent.MediaEnded(signaling.Id, link, generation, reason));
            }
        }
    }

    /// <summary>Reads a media link; while an individual-video link is up, the session's participant requests go out on
    /// its signaling connection.</summary>
    private async Task<string?> ReadMediaAsync(MediaConnection media, SignalingConnection connection, CancellationToken signaling, CancellationToken slot)
    {
        if (media.Negotiated.Video?.DataOpt != MediaDataOption.VideoSingleIndividualStream)
        {
            return await media.ReadAsync(Hub, slot);
        }
        Func<VideoSubscriptionRequest, Task> send = request => connection.SendAsync(request, signaling);
        Hub.IndividualVideo.Attach(send);
        try
        {
            return await media.ReadAsync(Hub, slot);
        }
        finally
        {
            Hub.IndividualVideo.Detach(send);
        }
    }

    /// <summary>
    /// Zoom accepted this data handshake, so it waits for a CLIENT_READY_ACK for it, and the ACK names no socket (§3.4):
    /// were it left out, Zoom could take another socket's ACK for this one and never start that other socket's media. So
    /// the socket given up (closed already, never read) gets its ACK too, like every accepted handshake.
    /// </summary>
    private static async Task AcknowledgeGivenUpAsync(SignalingAttempt signaling, SignalingConnection connection)
    {
        try
        {
            await connection.SendReadyAckAsync(signaling.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException || RtmsFailures.IsConnectionFailure(ex))
        {
            // Signaling is gone: its own end is reported by its loop.
        }
    }

    private async Task CloseAttemptAsync(SignalingAttempt signaling, bool endStream)
    {
        try
        {
            // Close frames (and STREAM_CLOSE_REQ when the gateway ends the stream) go out while the sockets are still read:
            // cancelling a read aborts its socket, and Zoom counts an aborted socket as an abnormal close (reason 16).
            var closes = signaling.Links.Values.Select(s => s.Connection).OfType<MediaConnection>().Select(m => m.CloseAsync()).ToList();
            if (signaling.Connection is { } connection)
            {
                closes.Add(connection.CloseAsync(endStream));
            }
            await WithinAsync(Task.WhenAll(closes), "sending close frames");
            await signaling.Cancel();
            await WithinAsync(Task.WhenAll([signaling.Run ?? Task.CompletedTask, .. signaling.Media]), "ending the socket loops");
            if (signaling.Connection is { } open)
            {
                await open.DisposeAsync();
            }
        }
        finally
        {
            signaling.Dispose();
        }
    }

    /// <summary>Waits for a teardown step, at most <see cref="TeardownTimeout"/>; a step that fails or hangs is logged and left.</summary>
    private async Task WithinAsync(Task step, string what)
    {
        try
        {
            await step.WaitAsync(TeardownTimeout, _time);
        }
        catch (TimeoutException)
        {
            LogTeardownSlow(StreamId, what, TeardownTimeout.TotalSeconds);
        }
        catch (Exception ex) when (ex is OperationCanceledException || RtmsFailures.IsConnectionFailure(ex))
        {
        }
    }

    /// <summary>One signaling connection attempt and the media sockets opened under it.</summary>
    private sealed class SignalingAttempt(int id, CancellationTokenSource cancellation) : IDisposable
    {
        public int Id { get; } = id;

        public CancellationToken Token { get; } = cancellation.Token;

        /// <summary>Set (before <see cref="StreamEvent.SignalingOpened"/> is posted) once the handshake succeeded.</summary>
        public SignalingConnection? Connection { get; set; }

        public Task? Run { get; set; }

        /// <summary>The media tasks (touched on the loop only).</summary>
        public List<Task> Media { get; } = [];

        /// <summary>The current slot of each media link (touched on the loop only).</summary>
        public Dictionary<int, MediaSlot> Links { get; } = [];

        /// <summary>Every slot ever opened under this attempt, disposed with it.</summary>
        public List<MediaSlot> Slots { get; } = [];

        public Task Cancel() => cancellation.CancelAsync();

        public void Dispose()
        {
            foreach (var slot in Slots)
            {
                slot.Dispose();
            }
            cancellation.Dispose();
        }
    }

    /// <summary>The cancellation of one media socket, and why it was cut.</summary>
    private sealed class MediaSlot(CancellationTokenSource cut) : IDisposable
    {
        private string? _interruptReason;

        public CancellationToken Token { get; } = cut.Token;

        /// <summary>The open socket, while it is open (so teardown can send its close frame before cancelling the read).</summary>
        public MediaConnection? Connection { get; set; }

        public string? InterruptReason => Volatile.Read(ref _interruptReason);

        public void Interrupt(string reason)
        {
            Volatile.Write(ref _interruptReason, reason);
            try
            {
                cut.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public void Dispose() => cut.Dispose();
    }
}
