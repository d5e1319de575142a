using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using RtmsGateway.Api.V1;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Chaos;

/// <summary>
/// An independent subscriber of one channel of one meeting, as a careful client would be: it reads every message,
/// checks the channel's promise (<see cref="SequenceChecker"/>), and when a call ends it judges how (OK after
/// SessionEnded only for a meeting the schedule stopped; UNAVAILABLE / RESOURCE_EXHAUSTED with a
/// <c>resume-after-sequence</c> trailer consistent with what it received; anything else is a violation unless the
/// replica it talked to was killed), then resumes with <c>resume_after_sequence</c> at any live replica. Each call
/// uses its own HTTP/2 connection, so a slow consumer cannot hold back another one's flow-control window.
/// </summary>
internal sealed class ChaosConsumer : IAsyncDisposable
{
    private const string TrailerKey = "resume-after-sequence";
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    /// <summary>How long a replica seen going down on its own may take to exit (the host's shutdown timeout is 30 s).</summary>
    private static readonly TimeSpan CrashWindow = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CrashSettle = TimeSpan.FromSeconds(1);

    /// <summary>What Microsoft.Extensions.Hosting logs (critical) when a BackgroundService's exception stops the host.</summary>
    private const string HostStoppingMarker = "IHost instance is stopping";
    private readonly List<Task> _pending = [];
    private readonly ChaosCluster _cluster;
    private readonly ChaosReport _report;
    private readonly ChaosConditions _conditions;
    private readonly Random _random;
    private readonly SequenceChecker _checker;
    private readonly TimeSpan _readDelay;
    private readonly CancellationTokenSource _life = new();
    private readonly Lock _lock = new();
    private GatewayReplica? _next;
    private CancellationTokenSource? _call;
    private long _messages;
    private long _latestReceivedTicks;
    private int _calls;
    private int _overflows;
    private volatile bool _finished;
    private int _retired;
    private volatile string? _replicaId;

    public ChaosConsumer(
        string id, ChaosMeeting meeting, ChannelKind channel, GatewayReplica first, ChaosCluster cluster, ChaosReport report, ChaosConditions conditions,
        int seed, TimeSpan readDelay = default)
    {
        Id = id;
        Meeting = meeting;
        Channel = channel;
        _next = first;
        _cluster = cluster;
        _report = report;
        _conditions = conditions;
        _random = new Random(seed);
        _readDelay = readDelay;
        _checker = new SequenceChecker(channel, id, report.Violation);
    }

    public string Id { get; }

    public ChaosMeeting Meeting { get; }

    public ChannelKind Channel { get; }

    /// <summary>Reads with a pause after every message (the slow subscriber).</summary>
    public bool IsSlow => _readDelay > TimeSpan.Zero;

    /// <summary>The replica of the call in progress (or the last one).</summary>
    public string? ReplicaId => _replicaId;

    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>The gateway's receive time of the newest message delivered: proof that media flows end to end.</summary>
    public DateTimeOffset LatestReceivedAt => new(Interlocked.Read(ref _latestReceivedTicks), TimeSpan.Zero);

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Calls that ended RESOURCE_EXHAUSTED with a resume point (a reliable channel's slow-reader cut-off).</summary>
    public int Overflows => Volatile.Read(ref _overflows);

    public int TooSlowGaps
    {
        get
        {
            lock (_lock)
            {
                return _checker.TooSlowGaps;
            }
        }
    }

    /// <summary>Done: its meeting ended the right way (or the run retired it).</summary>
    public bool Finished => _finished;

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = Task.Run(RunAsync);

    /// <summary>Ends the call in progress (no violation) and resumes elsewhere, e.g. when a call stopped delivering.</summary>
    public void Reconnect(string why)
    {
        _report.Log($"{Id}: reconnecting ({why})");
        try
        {
            _call?.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Stops reading (no violation).</summary>
    public async Task RetireAsync()
    {
        _finished = true;
        if (Interlocked.Exchange(ref _retired, 1) != 0)
        {
            await Completion.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return;
        }
        await _life.CancelAsync();
        await Completion.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _life.Dispose();
    }

    /// <summary>Verdicts still waiting to see whether a replica was crashing under a failed call (at most 31 s).</summary>
    public Task PendingVerdicts
    {
        get
        {
            lock (_pending)
            {
                return Task.WhenAll(_pending);
            }
        }
    }

    public async ValueTask DisposeAsync() => await RetireAsync();

    public override string ToString() =>
        $"{Id} on {_replicaId ?? "-"}: {Messages} messages, {Calls} calls, latest received {LatestReceivedAt:HH:mm:ss.fff}{(Finished ? ", finished" : string.Empty)}";

    private async Task RunAsync()
    {
        var backoff = MinBackoff;
        while (!_life.IsCancellationRequested && !_finished)
        {
            var replica = _next ?? Pick();
            _next = null;
            if (replica is null)
            {
                await PauseAsync(TimeSpan.FromMilliseconds(200));
                continue;
            }
            var delivered = await CallAsync(replica);
            backoff = delivered > 0 ? MinBackoff : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
            if (!_finished)
            {
                await PauseAsync(backoff);
            }
        }
    }

    private GatewayReplica? Pick()
    {
        var live = _cluster.LiveReplicas;
        return live.Count == 0 ? null : live[_random.Next(live.Count)];
    }

    private async Task PauseAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _life.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One call: subscribe (resuming after what was processed), read to its end, judge the end.</summary>
    private async Task<int> CallAsync(GatewayReplica replica)
    {
        using var call = CancellationTokenSource.CreateLinkedTokenSource(_life.Token);
        _call = call;
        _replicaId = replica.ReplicaId;
        Interlocked.Increment(ref _calls);
        var target = new SubscriptionTarget { RtmsStreamId = Meeting.StreamId };
        ulong resumedAfter;
        lock (_lock)
        {
            resumedAfter = _checker.ResumePoint;
            _checker.CallStarted();
        }
        if (resumedAfter > 0)
        {
            target.ResumeAfterSequence = resumedAfter;
        }
        var delivered = 0;
        using var channel = GrpcChannel.ForAddress(replica.GrpcUrl, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 16 * 1024 * 1024,
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(3),
                KeepAlivePingDelay = TimeSpan.FromSeconds(10),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            },
        });
        var client = new RtmsGatewayService.RtmsGatewayServiceClient(channel);
        try
        {
            switch (Channel)
            {
                case ChannelKind.Audio:
                    using (var audio = client.SubscribeAudio(new SubscribeAudioRequest { Target = target }, cancellationToken: call.Token))
                    {
                        await ReadAsync(audio.ResponseStream, Observation.Of, () => delivered++, call.Token);
                    }
                    break;
                case ChannelKind.Transcripts:
                    using (var transcripts = client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = target }, cancellationToken: call.Token))
                    {
                        await ReadAsync(transcripts.ResponseStream, Observation.Of, () => delivered++, call.Token);
                    }
                    break;
                default:
                    using (var events = client.SubscribeEvents(new SubscribeEventsRequest { Target = target }, cancellationToken: call.Token))
                    {
                        await ReadAsync(events.ResponseStream, Observation.Of, () => delivered++, call.Token);
                    }
                    break;
            }
            OnCompleted(replica, delivered);
        }
        catch (Exception ex) when (call.IsCancellationRequested && ex is OperationCanceledException or RpcException)
        {
            // The run ended this call (reconnect or retire): no verdict.
        }
        catch (RpcException ex)
        {
            await OnFailedAsync(ex, replica, delivered, resumedAfter);
        }
        finally
        {
            _call = null;
        }
        return delivered;
    }

    private async Task ReadAsync<T>(IAsyncStreamReader<T> stream, Func<T, Observation> map, Action counted, CancellationToken ct)
    {
        while (await stream.MoveNext(ct))
        {
            var observation = map(stream.Current);
            lock (_lock)
            {
                _checker.Observe(observation);
            }
            counted();
            if (observation.Kind == ObservationKind.Message)
            {
                Interlocked.Increment(ref _messages);
                var ticks = observation.ReceivedAt.UtcTicks;
                if (ticks > Interlocked.Read(ref _latestReceivedTicks))
                {
                    Interlocked.Exchange(ref _latestReceivedTicks, ticks);
                }
            }
            if (IsSlow)
            {
                await Task.Delay(_readDelay, ct);
            }
        }
    }

    /// <summary>The call completed with OK: right only after SessionEnded, and only for a meeting the schedule stopped.</summary>
    private void OnCompleted(GatewayReplica replica, int delivered)
    {
        bool ended;
        lock (_lock)
        {
            ended = _checker.Ended;
        }
        if (!ended)
        {
            _report.Violation(ViolationKind.CompletedWithoutSessionEnded, $"{Id} via {replica.ReplicaId}: the call completed OK after {delivered} responses without SessionEnded");
            return;
        }
        if (!Meeting.StoppedBySchedule && !Meeting.Abandoned)
        {
            _report.Violation(ViolationKind.SessionEndedForLiveMeeting, $"{Id} via {replica.ReplicaId}: SessionEnded for a meeting the schedule did not stop (Zoom state {Meeting.Simulated.State})");
        }
        _finished = true;
    }

    /// <summary>
    /// The call failed: judge the status and the trailer, unless the replica was killed under it (SIGKILL: its calls may
    /// die any way). A call of a replica nobody told to exit that fails without a trailer may be a crash in progress
    /// (the host stopping after an unhandled exception takes seconds): that verdict waits in the background until the
    /// replica either exits on its own — then the call is a consequence of the crash, itself a violation — or keeps
    /// running for <see cref="CrashWindow"/>; the consumer resumes meanwhile.
    /// </summary>
    private Task OnFailedAsync(RpcException ex, GatewayReplica replica, int delivered, ulong resumedAfter)
    {
        if (Meeting.Abandoned)
        {
            _finished = true;
            return Task.CompletedTask;
        }
        var trailer = ex.Trailers.GetValue(TrailerKey) is { } text && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : (ulong?)null;
        ulong position;
        ulong lastMessage;
        lock (_lock)
        {
            position = _checker.ResumePoint;
            lastMessage = _checker.LastMessage;
        }
        var failure = new CallFailure(ex.StatusCode, ex.Status.Detail, trailer, delivered, resumedAfter, position, lastMessage, Meeting.StoppedBySchedule, _conditions.RedisEmptied);
        var cause = _cluster.CauseOf(replica);
        if (cause is ExitCause.Killed or ExitCause.Crashed)
        {
            _report.Tolerated($"call lost with a {cause.ToString().ToLowerInvariant()} replica", failure.Describe(Id, replica, cause));
            return Task.CompletedTask;
        }
        // What a dying process does to its calls: no trailer, and a status the gateway itself would not choose.
        var mayBeACrash = cause == ExitCause.None && trailer is null
            && (ex.StatusCode is not (StatusCode.NotFound or StatusCode.ResourceExhausted or StatusCode.Unavailable) || (ex.StatusCode == StatusCode.Unavailable && delivered > 0));
        if (mayBeACrash)
        {
            lock (_pending)
            {
                _pending.Add(Task.Run(() => JudgeCrashSuspectAsync(failure, replica)));
            }
            return Task.CompletedTask;
        }
        Judge(failure, replica, cause);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A suspicious failure on a replica nobody told to exit: if the replica was going down on its own at that moment
    /// (exited, or its host logged that it is stopping after an unhandled exception, or it no longer reports ready) and
    /// exits within <see cref="CrashWindow"/>, the call is a consequence of that crash (reported as ReplicaExited);
    /// otherwise it is judged like any other failure.
    /// </summary>
    private async Task JudgeCrashSuspectAsync(CallFailure failure, GatewayReplica replica)
    {
        await Task.Delay(CrashSettle); // the host's log line and the process state trail the broken call a little
        var goingDown = replica.HasExited || replica.Output.Contains(HostStoppingMarker, StringComparison.Ordinal) || !await replica.IsReadyAsync(TimeSpan.FromSeconds(2));
        if (goingDown)
        {
            var deadline = DateTime.UtcNow + CrashWindow;
            while (!replica.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            if (_cluster.CauseOf(replica) == ExitCause.Crashed)
            {
                _report.Tolerated("call lost with a crashed replica", failure.Describe(Id, replica, ExitCause.Crashed));
                return;
            }
        }
        Judge(failure, replica, _cluster.CauseOf(replica));
    }

    /// <summary>The verdict on a failed call of a replica that was not killed.</summary>
    private void Judge(CallFailure failure, GatewayReplica replica, ExitCause cause)
    {
        var detail = failure.Describe(Id, replica, cause);
        if (failure.Trailer is { } resumeAt)
        {
            if (resumeAt > failure.Position)
            {
                _report.Violation(ViolationKind.TrailerAheadOfDelivered, $"{detail}: the trailer skips ({failure.Position}, {resumeAt}] — a client trusting it loses them");
            }
            else if (resumeAt < failure.LastMessage)
            {
                _report.Violation(ViolationKind.TrailerBehindDelivered, $"{detail}: the trailer is behind the last delivered message {failure.LastMessage} — a client trusting it gets duplicates");
            }
        }
        switch (failure.Status)
        {
            case StatusCode.Unavailable when failure.Trailer is null && failure.Delivered > 0:
                _report.Violation(ViolationKind.CallUnavailableWithoutTrailer, detail);
                break;
            case StatusCode.Unavailable:
                break; // reconnect and resume: the documented end of a drain or a lost upstream
            case StatusCode.ResourceExhausted when Channel == ChannelKind.Audio:
                _report.Violation(ViolationKind.CallResourceExhaustedOnMedia, $"{detail}: audio drops the oldest frames instead");
                break;
            case StatusCode.ResourceExhausted when failure.Trailer is null && failure.Position > 0:
                _report.Violation(ViolationKind.CallResourceExhaustedWithoutTrailer, detail);
                break;
            case StatusCode.ResourceExhausted:
                Interlocked.Increment(ref _overflows);
                _report.Log($"{Id}: overflowed (RESOURCE_EXHAUSTED, trailer {failure.Trailer}); resuming");
                break;
            case StatusCode.NotFound when failure.MeetingStopped:
                _finished = true;
                break;
            case StatusCode.NotFound when failure.RedisEmptied:
                _report.Tolerated("NOT_FOUND while Redis was empty", detail);
                break;
            case StatusCode.NotFound:
                _report.Violation(ViolationKind.CallNotFoundForLiveMeeting, $"{detail} (Zoom state {Meeting.Simulated.State})");
                break;
            case StatusCode.Cancelled:
                _report.Violation(ViolationKind.CallCancelled, detail);
                break;
            case StatusCode.Unknown:
                _report.Violation(ViolationKind.CallUnknown, detail);
                break;
            case StatusCode.Internal:
                _report.Violation(ViolationKind.CallInternal, detail);
                break;
            default:
                _report.Violation(ViolationKind.CallOtherStatus, detail);
                break;
        }
    }

    /// <summary>How a call failed, captured when it did (the verdict may come later).</summary>
    private sealed record CallFailure(
        StatusCode Status, string Message, ulong? Trailer, int Delivered, ulong ResumedAfter, ulong Position, ulong LastMessage, bool MeetingStopped, bool RedisEmptied)
    {
        public string Describe(string consumer, GatewayReplica replica, ExitCause cause) =>
            $"{consumer} via {replica.ReplicaId}{(cause == ExitCause.Terminated ? " (draining after SIGTERM)" : string.Empty)}, after {Delivered} responses " +
            $"(resumed after {ResumedAfter}, now at {Position}): {Status} \"{Message}\", trailer {(Trailer?.ToString(CultureInfo.InvariantCulture) ?? "none")}";
    }
}
