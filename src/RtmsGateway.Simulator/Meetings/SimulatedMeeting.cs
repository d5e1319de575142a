using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>
/// One simulated RTMS stream, behaving as Zoom does (protocol reference §3–§5): after <see cref="StartAsync"/> it
/// accepts one signaling connection and media sockets with valid handshakes, starts media on a socket after the
/// CLIENT_READY_ACK that follows its data handshake, buffers audio while no client is connected (up to 60 s, delivered
/// after (re)connect), pings every socket and drops one that misses three pings, announces lost connections
/// (<c>rtms_interrupted</c>, EVENT_UPDATE 7 + STREAM_STATE_UPDATE 2/14) and ends the stream when a reconnect window
/// expires. Media, pings and timeouts are produced by the simulator's single pacing loop (<see cref="Tick"/>).
/// Thread-safe: all state is guarded by one lock; nothing blocks under it (sends only enqueue).
/// </summary>
public sealed partial class SimulatedMeeting
{
    private readonly RtmsSimulator _simulator;
    private readonly SimulatorOptions _options;
    private readonly SimulatorClock _clock;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly List<Participant> _participants;
    private readonly List<SimConnection> _media = [];
    private readonly List<SimConnection> _awaitingAck = [];
    private readonly AudioBacklog _backlog = new();
    private readonly Queue<SignalingAttempt> _attempts = new();
    private readonly WebhookQueue _webhooks;
    private readonly IReadOnlyList<string> _transcriptLines;
    private readonly int _index;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiters;
    private volatile bool _live;
    private bool _started;
    private bool _stopped;
    private bool _paused;
    private bool _everSignaled;
    private bool _everStreamed;
    private bool _sessionStarted;
    private bool _mediaFlowing;
    private bool _rejectNextAsDuplicate;
    private bool _statuslessSignaling;
    private bool _statuslessData;
    private MediaDataType _encryptedPayloads;
    private int _nextParticipant;
    private Task<HttpStatusCode>? _stoppedWebhook;
    private SimConnection? _signaling;
    private Participant? _activeSpeaker;
    private Participant? _sharer;
    private long? _videoSubscription;
    private long? _signalingDeadline;
    private long? _mediaDeadline;

    internal SimulatedMeeting(RtmsSimulator simulator, MeetingOptions options, int index)
    {
        _simulator = simulator;
        _options = simulator.Options;
        _clock = simulator.Clock;
        _logger = simulator.Loggers.CreateLogger<SimulatedMeeting>();
        _index = index;
        Options = options;
        var random = options.Seed is { } seed ? new Random(seed) : Random.Shared;
        InstanceId = options.InstanceId ?? Convert.ToBase64String(RandomBytes(random, 16));
        StreamId = options.StreamId ?? Convert.ToHexStringLower(RandomBytes(random, 16));
        RtmsSessionId = Convert.ToHexStringLower(RandomBytes(random, 16));
        OperatorId = ZoomStyleId(random);
        AccountId = ZoomStyleId(random);
        MeetingNumber = 80_000_000_000 + (long)(BitConverter.ToUInt64(RandomBytes(random, 8)) % 10_000_000_000);
        SessionKey = "session-" + StreamId[..Math.Min(8, StreamId.Length)];
        _transcriptLines = options.TranscriptLines is { Count: > 0 } lines ? lines : TranscriptScript.Default;
        _participants = [];
        for (var i = 0; i < Math.Max(1, options.Participants); i++)
        {
            _participants.Add(NewParticipant(null));
        }
        _activeSpeaker = _participants[0];
        Counters = new MeetingCounters(simulator.Counters);
        Faults = new MeetingFaults(this, _options.BinaryFrames);
        _webhooks = new WebhookQueue(simulator.Background);
    }

    /// <summary>Meeting UUID (meetings), webinar UUID (webinars) or session id (Video SDK): the instance id of §3.2.</summary>
    public string InstanceId { get; }

    /// <summary>The <c>rtms_stream_id</c>.</summary>
    public string StreamId { get; }

    /// <summary>The id of the stream's RTMS session (SESSION_STATE_* messages).</summary>
    public string RtmsSessionId { get; }

    /// <summary>The <c>operator_id</c> of <c>rtms_started</c>.</summary>
    public string OperatorId { get; }

    /// <summary>The <c>account_id</c> of webhooks.</summary>
    public string AccountId { get; }

    /// <summary>The numeric meeting (or webinar) id of <c>rtms_started</c>.</summary>
    public long MeetingNumber { get; }

    /// <summary>The Video SDK <c>session_key</c>.</summary>
    public string SessionKey { get; }

    public MeetingOptions Options { get; }

    public MeetingCounters Counters { get; }

    public MeetingFaults Faults { get; }

    /// <summary>The signaling URL sent in this stream's <c>server_urls</c>.</summary>
    public string SignalingUrl => _simulator.SignalingUri.ToString();

    public MeetingState State
    {
        get
        {
            lock (_lock)
            {
                return StateLocked;
            }
        }
    }

    /// <summary>The participants now (snapshots).</summary>
    public IReadOnlyList<SimulatedParticipant> Participants
    {
        get
        {
            lock (_lock)
            {
                return [.. _participants.Select(p => p.Snapshot())];
            }
        }
    }

    public SimulatedParticipant? ActiveSpeaker
    {
        get
        {
            lock (_lock)
            {
                return _activeSpeaker?.Snapshot();
            }
        }
    }

    /// <summary>Audio produced but not delivered yet: buffered for a client that is not connected (or too slow).</summary>
    public TimeSpan BufferedAudio
    {
        get
        {
            lock (_lock)
            {
                return TimeSpan.FromMilliseconds(_backlog.Units * VoiceLoop.UnitMs);
            }
        }
    }

    /// <summary>The latest signaling handshakes received (at most <see cref="SignalingAttemptsKept"/>), oldest first.</summary>
    public IReadOnlyList<SignalingAttempt> SignalingAttempts
    {
        get
        {
            lock (_lock)
            {
                return [.. _attempts];
            }
        }
    }

    /// <summary>How many <see cref="SignalingAttempts"/> a meeting keeps.</summary>
    public const int SignalingAttemptsKept = 256;

    /// <summary>Started and not stopped: the pacing loop works on it.</summary>
    internal bool IsLive => _live;

    /// <summary>Sends <c>rtms_started</c> (the webhook's HTTP status is returned); from now on audio is buffered until a client connects.</summary>
    public Task<HttpStatusCode> StartAsync(CancellationToken ct = default)
    {
        Begin();
        return SendWebhookAsync("rtms_started", ct);
    }

    /// <summary>Starts the stream without sending <c>rtms_started</c> (for callers that deliver the webhook themselves).</summary>
    public void Begin()
    {
        lock (_lock)
        {
            if (_started)
            {
                throw new InvalidOperationException($"Meeting {StreamId} was already started.");
            }
            var now = _clock.MonoMs;
            _epochMono = now;
            _epochWall = _clock.WallMs;
            _producedUnits = 0;
            _nextTranscriptMs = now + Math.Max(10, (long)Options.TranscriptInterval.TotalMilliseconds);
            _nextSpeakerMs = now + Math.Max(10, (long)Options.ActiveSpeakerInterval.TotalMilliseconds);
            _nextChatMs = now + Math.Max(10, (long)Options.ChatInterval.TotalMilliseconds);
            _started = true;
            _live = true;
        }
        LogStarted(StreamId, InstanceId);
        Changed();
    }

    /// <summary>
    /// Ends the stream as Zoom does: STREAM_STATE_UPDATE 4 TERMINATED and SESSION_STATE_UPDATE 5 STOPPED with the reason,
    /// PARTICIPANT_LEAVE, sockets closed (1000), then <c>rtms_stopped</c> with <c>stop_reason</c>. Returns the webhook's
    /// HTTP status (the first call's, if already stopped).
    /// </summary>
    public async Task<HttpStatusCode> StopAsync(StopReason reason, CancellationToken ct = default)
    {
        return await StopAsync(reason, StopOrder.SignalingFirst, ct);
    }

    /// <summary>Ends the stream in the given <paramref name="order"/>: <see cref="StopOrder.SignalingFirst"/> as
    /// <see cref="StopAsync(StopReason, CancellationToken)"/>, or <see cref="StopOrder.WebhookFirst"/> (<c>rtms_stopped</c>
    /// answered before TERMINATED is sent). Returns the webhook's HTTP status.</summary>
    public async Task<HttpStatusCode> StopAsync(StopReason reason, StopOrder order, CancellationToken ct = default)
    {
        if (order == StopOrder.WebhookFirst)
        {
            return await StopWebhookFirstAsync(reason, ct);
        }
        var (connections, webhook) = EndStream(reason);
        await Task.WhenAll(connections.Select(c => c.CloseAsync(WebSocketCloseStatus.NormalClosure, "stream stopped")));
        return await webhook.WaitAsync(ct);
    }

    /// <summary>
    /// Posts a webhook for this stream. <paramref name="eventName"/> is a full name (<c>meeting.rtms_interrupted</c>) or an
    /// action (<c>rtms_started</c>) prefixed with the product (<c>meeting.</c>, <c>webinar.</c>, <c>session.</c>). Known
    /// RTMS actions get their documented fields; anything else gets the instance id and stream id.
    /// </summary>
    public Task<HttpStatusCode> SendWebhookAsync(string eventName, CancellationToken ct = default) => SendWebhookAsync(eventName, null, null, ct);

    /// <summary>As <see cref="SendWebhookAsync(string, CancellationToken)"/>, with a stop reason and extra fields written after the standard ones.</summary>
    public Task<HttpStatusCode> SendWebhookAsync(string eventName, StopReason? stopReason, Action<Utf8JsonWriter>? extraFields, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        return EnqueueWebhook(eventName, stopReason, extraFields).WaitAsync(ct);
    }

    /// <summary>
    /// Waits until a client finished its handshakes and ACKs (no media socket waits for one) and media flows to it.
    /// Throws <see cref="InvalidOperationException"/> if the stream stops first.
    /// </summary>
    public async Task WaitForStreamingAsync(CancellationToken ct = default)
    {
        await WaitUntilAsync(() => _stopped || (StateLocked == MeetingState.Streaming && _awaitingAck.Count == 0 && _mediaFlowing), ct);
        if (State == MeetingState.Stopped)
        {
            throw new InvalidOperationException($"Meeting {StreamId} stopped before it was streaming.");
        }
    }

    /// <summary>Waits until the meeting is in <paramref name="state"/>.</summary>
    public Task WaitForStateAsync(MeetingState state, CancellationToken ct = default) => WaitUntilAsync(() => StateLocked == state, ct);

    /// <summary>Waits until <paramref name="condition"/> holds, re-checked whenever a counter or the state may have changed.</summary>
    public Task WaitForAsync(Func<MeetingCounters, bool> condition, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return WaitUntilAsync(() => condition(Counters), ct, underLock: false);
    }

    /// <summary>A participant joins (EVENT_UPDATE 3, then 8: their video is on).</summary>
    public Task<SimulatedParticipant> ParticipantJoinAsync(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        SimulatedParticipant snapshot;
        lock (_lock)
        {
            var participant = NewParticipant(name);
            _participants.Add(participant);
            SendEvent(EventType.ParticipantJoin, participants: [participant], names: true);
            SendEvent(EventType.ParticipantVideoOn, participants: [participant]);
            snapshot = participant.Snapshot();
        }
        Changed();
        return Task.FromResult(snapshot);
    }

    /// <summary>A participant leaves (EVENT_UPDATE 4; sharing stops and the active speaker moves on if it was them).</summary>
    public Task ParticipantLeaveAsync(long userId)
    {
        lock (_lock)
        {
            var participant = Find(userId);
            _participants.Remove(participant);
            if (_sharer == participant)
            {
                _sharer = null;
                SendEvent(EventType.SharingStop);
            }
            if (_videoSubscription == userId)
            {
                _videoSubscription = null;
            }
            SendEvent(EventType.ParticipantLeave, participants: [participant]);
            if (_activeSpeaker == participant)
            {
                _activeSpeaker = null;
                RotateSpeaker();
            }
        }
        Changed();
        return Task.CompletedTask;
    }

    public Task ParticipantLeaveAsync(SimulatedParticipant participant) => ParticipantLeaveAsync(participant.UserId);

    /// <summary>Someone starts sharing (EVENT_UPDATE 5): screen share frames (msg_type 16) flow to sockets that carry deskshare.</summary>
    public Task StartSharingAsync(SimulatedParticipant? sharer = null)
    {
        lock (_lock)
        {
            _sharer = sharer is null ? _participants[0] : Find(sharer.UserId);
            _nextShareMs = _clock.MonoMs;
            SendEvent(EventType.SharingStart, user: _sharer);
        }
        Changed();
        return Task.CompletedTask;
    }

    /// <summary>Sharing stops (EVENT_UPDATE 6).</summary>
    public Task StopSharingAsync()
    {
        lock (_lock)
        {
            if (_sharer is not null)
            {
                _sharer = null;
                SendEvent(EventType.SharingStop);
            }
        }
        Changed();
        return Task.CompletedTask;
    }

    /// <summary>Mutes or unmutes a participant. Muted participants send no audio (no packets at all when everyone is muted) and no transcripts.</summary>
    public Task SetMutedAsync(long userId, bool muted)
    {
        lock (_lock)
        {
            var participant = Find(userId);
            participant.Muted = muted;
            if (muted && _activeSpeaker == participant)
            {
                RotateSpeaker();
            }
        }
        Changed();
        return Task.CompletedTask;
    }

    /// <summary>Turns a participant's video on or off (EVENT_UPDATE 8 / 9). Nobody with video: no video frames.</summary>
    public Task SetVideoAsync(long userId, bool on)
    {
        lock (_lock)
        {
            var participant = Find(userId);
            if (participant.VideoOn != on)
            {
                participant.VideoOn = on;
                SendEvent(on ? EventType.ParticipantVideoOn : EventType.ParticipantVideoOff, participants: [participant]);
            }
        }
        Changed();
        return Task.CompletedTask;
    }

    /// <summary>Contact Center: a voice event (§3.6 <c>RTMS_ZCC_VOICE_EVENT_TYPE</c>, e.g. 10 USER_ANSWERED, 12 USER_HOLD;
    /// any code up to 34) as EVENT_UPDATE, to a client that subscribed to it, timed by <c>event_ts</c> (not
    /// <c>timestamp</c>) as the Contact Center events page shows; <paramref name="user"/> adds a
    /// <c>participant_info</c> (<c>channel_id</c>, <c>participant_mode</c> caller for the first party and agent for the
    /// others, <c>user_id</c>, <c>display_name</c>).</summary>
    public Task SendContactCenterEventAsync(ZccVoiceEventType type, SimulatedParticipant? user = null)
    {
        lock (_lock)
        {
            if (Options.Product != SimulatedProduct.ContactCenter)
            {
                throw new InvalidOperationException($"Meeting {StreamId} is a {Options.Product}, not a Contact Center engagement.");
            }
            SendContactCenterEvent((int)type, user is null ? null : Find(user.UserId));
        }
        Changed();
        return Task.CompletedTask;
    }

    /// <summary>Contact Center: the channel a participant's audio and transcripts carry (<c>channel_id</c>); null for
    /// other products.</summary>
    public PartyChannel? ChannelOf(SimulatedParticipant participant)
    {
        lock (_lock)
        {
            return Options.Product == SimulatedProduct.ContactCenter
                ? PartyChannel.Of(_participants.IndexOf(Find(participant.UserId)) + 1, Options.Variants.NumericChannelIds)
                : null;
        }
    }

    /// <summary>Makes a participant the active speaker now (EVENT_UPDATE 2).</summary>
    public Task SetActiveSpeakerAsync(long userId)
    {
        lock (_lock)
        {
            var participant = Find(userId);
            if (_activeSpeaker != participant)
            {
                _activeSpeaker = participant;
                SendEvent(EventType.ActiveSpeakerChange, user: participant);
            }
        }
        Changed();
        return Task.CompletedTask;
    }

    public override string ToString() => $"{Options.Product} {InstanceId} stream {StreamId} ({State})";

    private void RecordAttempt(SignalingAttempt attempt)
    {
        if (_attempts.Count == SignalingAttemptsKept)
        {
            _attempts.Dequeue();
        }
        _attempts.Enqueue(attempt);
    }

    private MeetingState StateLocked =>
        !_started ? MeetingState.Created
        : _stopped ? MeetingState.Stopped
        : _paused ? MeetingState.Paused
        : IsStreamingLocked ? MeetingState.Streaming
        : _everStreamed ? MeetingState.Interrupted
        : MeetingState.Started;

    private bool IsStreamingLocked
    {
        get
        {
            if (_signaling is null)
            {
                return false;
            }
            foreach (var media in _media)
            {
                if (media.Ready)
                {
                    return true;
                }
            }
            return false;
        }
    }

    private async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct, bool underLock = true)
    {
        Interlocked.Increment(ref _waiters);
        try
        {
            while (true)
            {
                var changed = Volatile.Read(ref _changed).Task;
                if (underLock ? Holds(condition) : condition())
                {
                    return;
                }
                await changed.WaitAsync(ct);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiters);
        }
    }

    private bool Holds(Func<bool> condition)
    {
        lock (_lock)
        {
            return condition();
        }
    }

    /// <summary>Wakes waiters so they re-check their condition.</summary>
    internal void Changed()
    {
        if (Volatile.Read(ref _waiters) == 0)
        {
            return;
        }
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Queues a webhook for this stream behind the ones already raised; never blocks. A failed delivery is
    /// redelivered in the background per <see cref="SimulatorOptions.WebhookRedeliveryDelays"/> (later webhooks do not wait).</summary>
    private Task<HttpStatusCode> EnqueueWebhook(string eventName, StopReason? stopReason = null, Action<Utf8JsonWriter>? extraFields = null)
    {
        var name = eventName.Contains('.', StringComparison.Ordinal) ? eventName : RtmsWebhookFields.EventName(Options.Product, eventName);
        return _webhooks.Enqueue(
            async () =>
            {
                var body = _simulator.Webhooks.BuildEvent(
                    name,
                    AccountId,
                    w =>
                    {
                        RtmsWebhookFields.Write(w, this, name, stopReason);
                        extraFields?.Invoke(w);
                    },
                    Options.Topic);
                var status = await _simulator.Webhooks.SendRawAsync(body, name, StreamId, _simulator.Stopping);
                if (_options.WebhookUrl is not null)
                {
                    var delivered = IsDelivered(status);
                    Counters.Webhook(delivered);
                    if (!delivered && _options.WebhookRedeliveryDelays.Count > 0)
                    {
                        Counters.RedeliveryPending(1);
                        _simulator.Background.Run(() => RedeliverAsync(body, name), $"redelivering {name} for {StreamId}");
                    }
                }
                Changed();
                return status;
            },
            $"{name} for {StreamId}");
    }

    /// <summary>Posts the same body again after each configured delay until it is acknowledged (as Zoom retries, §2.6).</summary>
    private async Task RedeliverAsync(byte[] body, string name)
    {
        try
        {
            foreach (var delay in _options.WebhookRedeliveryDelays)
            {
                await Task.Delay(delay, _options.TimeProvider, _simulator.Stopping);
                var status = await _simulator.Webhooks.SendRawAsync(body, name, StreamId, _simulator.Stopping);
                Counters.Redelivered(IsDelivered(status));
                Changed();
                if (IsDelivered(status))
                {
                    return;
                }
            }
        }
        finally
        {
            Counters.RedeliveryPending(-1);
            Changed();
        }
    }

    private static bool IsDelivered(HttpStatusCode status) => (int)status is >= 200 and < 300;

    private Participant Find(long userId) =>
        _participants.Find(p => p.UserId == userId) ?? throw new ArgumentException($"No participant {userId} in meeting {StreamId}.", nameof(userId));

    private Participant NewParticipant(string? name)
    {
        var i = _nextParticipant++;
        IReadOnlyList<string> names = Options.ParticipantNames is { Count: > 0 } list ? list : DefaultNames;
        var round = i / names.Count;
        var fallback = round == 0 ? names[i % names.Count] : $"{names[i % names.Count]} {round + 1}";
        // Zoom user ids are 32-bit-ish numbers (16778240 in the docs); tones stay well below the 8 kHz Nyquist limit.
        return new Participant(16_778_240 + ((long)_index * 1000) + i, name ?? fallback, 220 + (55 * (i % 40)));
    }

    private static readonly string[] DefaultNames = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson", "Edsger Dijkstra", "Barbara Liskov"];

    private static string ZoomStyleId(Random random) => Convert.ToBase64String(RandomBytes(random, 16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
