using System.Net;
using System.Net.WebSockets;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>
/// One simulated RTMS stream, behaving as Zoom does (§3–§5 of the protocol reference): it accepts one signaling
/// connection and media sockets after valid handshakes, starts media after CLIENT_READY_ACK, buffers audio before the
/// client connects and during interruptions (delivered after reconnect), pings every socket and drops one that misses
/// three pings, announces lost connections (<c>rtms_interrupted</c>, media-interrupted events) and waits a reconnect
/// window before ending the stream. Media is produced by the simulator's pacing loop through <see cref="Tick"/>.
/// </summary>
public sealed partial class SimulatedMeeting
{
    private const int BufferGranularityMs = 20;
    private readonly RtmsSimulator _simulator;
    private readonly Lock _lock = new();
    private readonly List<SimConnection> _media = [];
    private readonly Queue<SimConnection> _awaitingAck = new();
    private readonly Queue<long> _audioBuffer = new();
    private readonly List<SimulatedParticipant> _participants;
    private readonly Dictionary<(int Rate, int Channels), byte[]> _wavVoices = [];
    private SimConnection? _signaling;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiters;
    private long _nextAudioMs;
    private long _nextVideoMs;
    private long _nextShareMs;
    private long _nextTranscriptMs;
    private long _nextSpeakerMs;
    private long _nextPingMs;
    private long _frameNumber;
    private int _transcriptIndex;
    private int _speaker;
    private bool _everStreamed;
    private bool _startupBuffer = true;
    private bool _failingOver;
    private bool _rejectNextAsDuplicate;
    private SimulatedParticipant? _sharer;
    private CancellationTokenSource? _reconnectWindow;

    internal SimulatedMeeting(RtmsSimulator simulator, MeetingOptions options, int index)
    {
        _simulator = simulator;
        Options = options;
        var random = options.Seed is { } seed ? new Random(seed) : Random.Shared;
        InstanceId = options.InstanceId ?? Convert.ToBase64String(RandomBytes(random, 16));
        StreamId = options.StreamId ?? Convert.ToHexStringLower(RandomBytes(random, 16));
        _participants = [.. Enumerable.Range(0, Math.Max(1, options.Participants)).Select(i => NewParticipant(index, i))];
        Faults = new MeetingFaults(this) { BinaryFrames = simulator.Options.BinaryFrames };
    }

    public string InstanceId { get; }

    public string StreamId { get; }

    public MeetingOptions Options { get; }

    public MeetingCounters Counters { get; } = new();

    public MeetingFaults Faults { get; }

    public MeetingState State { get; private set; } = MeetingState.Created;

    public IReadOnlyList<SimulatedParticipant> Participants
    {
        get
        {
            lock (_lock)
            {
                return [.. _participants];
            }
        }
    }

    /// <summary>The signaling URL sent in this stream's <c>server_urls</c>.</summary>
    public string SignalingUrl => _simulator.SignalingUri.ToString();

    /// <summary>The RTMS session id of the stream's single simulated session.</summary>
    public string RtmsSessionId => StreamId + "-s1";

    /// <summary>Sends <c>rtms_started</c>; from now on audio is buffered until a client connects.</summary>
    public async Task<HttpStatusCode> StartAsync(CancellationToken ct)
    {
        Begin();
        return await SendWebhookAsync("rtms_started", ct);
    }

    /// <summary>Starts the stream without sending <c>rtms_started</c> (for callers that deliver the webhook themselves).</summary>
    public void Begin()
    {
        lock (_lock)
        {
            if (State != MeetingState.Created)
            {
                throw new InvalidOperationException($"Meeting {StreamId} was already started.");
            }
            var now = _simulator.NowMs;
            _nextAudioMs = now;
            _nextTranscriptMs = now + (long)Options.TranscriptInterval.TotalMilliseconds;
            _nextSpeakerMs = now + (long)Options.ActiveSpeakerInterval.TotalMilliseconds;
            State = MeetingState.Started;
        }
        Changed();
    }

    /// <summary>Ends the stream as Zoom does: STREAM_STATE_UPDATE TERMINATED with the reason, sockets closed, <c>rtms_stopped</c>.</summary>
    public async Task<HttpStatusCode> StopAsync(StopReason reason, CancellationToken ct)
    {
        if (!EndStream(reason, out var connections))
        {
            return HttpStatusCode.Gone;
        }
        await Task.WhenAll(connections.Select(c => c.CloseAsync(WebSocketCloseStatus.NormalClosure, "stream stopped")));
        return await SendWebhookAsync("rtms_stopped", ct, reason);
    }

    /// <summary>Posts an RTMS webhook for this stream (<c>rtms_started</c>, <c>rtms_stopped</c>, <c>rtms_interrupted</c>).</summary>
    public Task<HttpStatusCode> SendWebhookAsync(string action, CancellationToken ct, StopReason? stopReason = null)
    {
        Counters.Webhook();
        return _simulator.Webhooks.SendRtmsAsync(this, action, stopReason, ct);
    }

    /// <summary>Waits until media flows: signaling and at least one media socket are ready.</summary>
    public Task WaitForStreamingAsync(CancellationToken ct) => WaitForAsync(_ => State == MeetingState.Streaming, ct);

    /// <summary>Waits until <paramref name="condition"/> holds, re-checking whenever a counter or the state changes.</summary>
    public async Task WaitForAsync(Func<MeetingCounters, bool> condition, CancellationToken ct)
    {
        Interlocked.Increment(ref _waiters);
        try
        {
            while (true)
            {
                var changed = Volatile.Read(ref _changed).Task;
                if (condition(Counters))
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

    public async Task ParticipantJoinAsync(string name)
    {
        SimulatedParticipant participant;
        lock (_lock)
        {
            participant = NewParticipant(_participants.Count * 7, _participants.Count);
            participant = participant with { Name = name };
            _participants.Add(participant);
            SendEvent(EventType.ParticipantJoin, participants: [participant]);
        }
        await Task.CompletedTask;
    }

    public async Task ParticipantLeaveAsync(long userId)
    {
        lock (_lock)
        {
            var participant = _participants.FirstOrDefault(p => p.UserId == userId);
            if (participant is not null)
            {
                _participants.Remove(participant);
                _speaker %= Math.Max(1, _participants.Count);
                SendEvent(EventType.ParticipantLeave, participants: [participant]);
            }
        }
        await Task.CompletedTask;
    }

    public async Task StartSharingAsync(SimulatedParticipant? sharer = null)
    {
        lock (_lock)
        {
            _sharer = sharer ?? _participants[0];
            _nextShareMs = _simulator.NowMs;
            SendEvent(EventType.SharingStart, speaker: _sharer);
        }
        await Task.CompletedTask;
    }

    public async Task StopSharingAsync()
    {
        lock (_lock)
        {
            _sharer = null;
            SendEvent(EventType.SharingStop);
        }
        await Task.CompletedTask;
    }

    /// <summary>Produces whatever media and keep-alives are due. Called by the pacing loop; never blocks.</summary>
    internal void Tick(long nowMs)
    {
        List<SimConnection>? dropped = null;
        lock (_lock)
        {
            if (State is MeetingState.Created or MeetingState.Stopped)
            {
                return;
            }
            if (nowMs >= _nextPingMs)
            {
                _nextPingMs = nowMs + (long)_simulator.Options.KeepAliveInterval.TotalMilliseconds;
                dropped = PingAll();
            }
            if (State == MeetingState.Paused)
            {
                _nextAudioMs = _nextVideoMs = _nextShareMs = nowMs;
                _nextTranscriptMs = Math.Max(_nextTranscriptMs, nowMs);
            }
            else
            {
                ProduceAudio(nowMs);
                ProduceVideo(nowMs);
                ProduceTranscripts(nowMs);
                RotateSpeaker(nowMs);
            }
        }
        Changed();
        foreach (var connection in dropped ?? [])
        {
            Counters.KeepAliveDrop();
            connection.Abort();
            if (connection.IsSignaling)
            {
                OnSignalingLost(connection);
            }
            else
            {
                OnMediaLost(connection);
            }
        }
    }

    // ---- handshakes and client messages (called by the simulator's socket handlers) -----------------------------

    internal (StatusCode Status, string? Reason) AcceptSignaling(SignalingHandshakeRequest request, SimConnection connection)
    {
        Counters.SignalingHandshake();
        SimConnection? kicked = null;
        try
        {
            lock (_lock)
            {
                if (State is MeetingState.Created or MeetingState.Stopped)
                {
                    return (StatusCode.InvalidRtmsStreamId, State == MeetingState.Stopped ? "stream has ended" : "stream has not started");
                }
                if (!RtmsHandshakeSignature.Verify(_simulator.Options.ClientId, _simulator.Options.ClientSecret, InstanceId, StreamId, request.Signature)
                    || request.MeetingUuid != InstanceId)
                {
                    return (StatusCode.InvalidSignature, "invalid signature");
                }
                if (_signaling is { IsOpen: true } live)
                {
                    Counters.Duplicate();
                    if (_simulator.Options.DuplicateSignaling == DuplicateSignalingMode.Reject)
                    {
                        return (StatusCode.DuplicateSignalRequest, "duplicate signal request");
                    }
                    kicked = live;
                    DetachSignaling(live);
                }
                if (_rejectNextAsDuplicate)
                {
                    _rejectNextAsDuplicate = false;
                    return (StatusCode.DuplicateSignalRequest, "duplicate signal request");
                }
                _reconnectWindow?.Cancel();
                _reconnectWindow = null;
                connection.Meeting = this;
                connection.BufferData = request.BufferData ?? true;
                _signaling = connection;
                Counters.LiveSignaling(1);
                return (StatusCode.Ok, null);
            }
        }
        finally
        {
            kicked?.Abort();
            Changed();
        }
    }

    internal (StatusCode Status, string? Reason, MediaParams? Effective) AcceptMedia(DataHandshakeRequest request, SimConnection connection)
    {
        Counters.MediaHandshake();
        try
        {
            lock (_lock)
            {
                if (State is MeetingState.Created or MeetingState.Stopped)
                {
                    return (StatusCode.InvalidRtmsStreamId, "stream is not active", null);
                }
                if (!RtmsHandshakeSignature.Verify(_simulator.Options.ClientId, _simulator.Options.ClientSecret, InstanceId, StreamId, request.Signature)
                    || request.MeetingUuid != InstanceId)
                {
                    return (StatusCode.InvalidSignature, "invalid signature", null);
                }
                if (_signaling is not { IsOpen: true })
                {
                    return (StatusCode.InvalidRtmsStreamId, "no signaling connection for this stream", null);
                }
                var status = MediaParamsValidator.Validate(request.MediaType, request.MediaParams);
                if (status != StatusCode.Ok)
                {
                    return (status, $"media parameters refused: {status}", null);
                }
                var live = _media.Where(m => m.IsOpen).ToList();
                if (live.Count > 0 && (request.MediaType.HasFlag(MediaDataType.All) || live.Any(m => m.MediaType.HasFlag(MediaDataType.All))))
                {
                    return (StatusCode.MediaDataAllConnectionExist, "unified media connection already exists", null);
                }
                if (live.Any(m => (m.MediaType & request.MediaType) != 0))
                {
                    return (StatusCode.DuplicateMediaDataConnection, "duplicate media data connection", null);
                }
                var effective = MediaParamsDefaults.Effective(request.MediaType, request.MediaParams);
                connection.Meeting = this;
                connection.MediaType = request.MediaType;
                connection.MediaParams = effective;
                _media.Add(connection);
                _awaitingAck.Enqueue(connection);
                Counters.LiveMedia(1);
                return (StatusCode.Ok, null, effective);
            }
        }
        finally
        {
            Changed();
        }
    }

    /// <summary>Handles one message the client sent on signaling after the handshake.</summary>
    internal void OnSignalingMessage(SimConnection connection, RtmsMessage message)
    {
        lock (_lock)
        {
            switch (message)
            {
                case KeepAliveResponse pong:
                    connection.Pong(pong.Timestamp);
                    break;
                case EventSubscription subscription:
                    foreach (var item in subscription.Events)
                    {
                        if (item.Subscribe)
                        {
                            connection.SubscribedEvents.Add(item.EventType);
                        }
                        else
                        {
                            connection.SubscribedEvents.Remove(item.EventType);
                        }
                    }
                    break;
                case ClientReadyAck:
                    OnClientReady();
                    break;
                case SessionStateRequest request:
                    connection.Send(new SessionStateResponse { RtmsSessionId = request.RtmsSessionId, State = SessionStateNow, Timestamp = _simulator.WallMs });
                    break;
                case StreamStateRequest:
                    connection.Send(new StreamStateResponse { RtmsStreamId = StreamId, State = StreamStateNow, Timestamp = _simulator.WallMs / 1000 });
                    break;
                case StreamCloseRequest:
                    connection.Send(new StreamCloseResponse { RtmsStreamId = StreamId, StatusCode = StatusCode.Ok, Reason = "OK", Timestamp = _simulator.WallMs });
                    _ = StopAsync(StopReason.ReceiverRequestClose, CancellationToken.None);
                    break;
                case VideoSubscriptionRequest video:
                    var individual = _media.Any(m => m.MediaParams?.Video?.DataOpt == MediaDataOption.VideoSingleIndividualStream);
                    connection.Send(new VideoSubscriptionResponse
                    {
                        UserId = video.UserId,
                        StatusCode = individual ? StatusCode.Ok : StatusCode.InvalidMediaVideoDataOpt,
                        Reason = individual ? null : "individual video needs data_opt 4",
                        Timestamp = _simulator.WallMs,
                    });
                    break;
            }
        }
        Changed();
    }

    internal void OnMediaMessage(SimConnection connection, RtmsMessage message)
    {
        if (message is KeepAliveResponse pong)
        {
            connection.Pong(pong.Timestamp);
            Changed();
        }
    }

    /// <summary>The signaling socket is gone: Zoom interrupts media too, sends <c>rtms_interrupted</c> and waits for a reconnect.</summary>
    internal void OnSignalingLost(SimConnection connection)
    {
        List<SimConnection> media;
        bool announce;
        lock (_lock)
        {
            if (_signaling != connection)
            {
                return;
            }
            DetachSignaling(connection);
            if (State == MeetingState.Stopped)
            {
                return;
            }
            media = [.. _media];
            foreach (var m in media)
            {
                DetachMedia(m);
            }
            State = MeetingState.Interrupted;
            announce = !_failingOver;
            StartReconnectWindow(_simulator.Options.SignalingReconnectWindow, StopReason.AwaitReconnectionTimeout);
        }
        foreach (var m in media)
        {
            m.Abort();
        }
        Changed();
        if (announce)
        {
            _ = SendWebhookAsync("rtms_interrupted", CancellationToken.None);
        }
    }

    /// <summary>A media socket is gone: Zoom reports it on signaling and waits for the client to reconnect it.</summary>
    internal void OnMediaLost(SimConnection connection)
    {
        lock (_lock)
        {
            if (!_media.Contains(connection))
            {
                return;
            }
            DetachMedia(connection);
            if (State == MeetingState.Stopped || _signaling is null || _failingOver)
            {
                return;
            }
            SendEvent(EventType.MediaConnectionInterrupted);
            _signaling.Send(new StreamStateUpdate { RtmsStreamId = StreamId, State = RtmsStreamState.Interrupted, Reason = StopReason.DataConnectionInterrupted, Timestamp = _simulator.WallMs });
            if (!_media.Any(m => m.Ready))
            {
                State = MeetingState.Interrupted;
            }
            StartReconnectWindow(_simulator.Options.MediaReconnectWindow, StopReason.DataConnectionInterrupted);
        }
        Changed();
    }

    // ---- faults (see MeetingFaults) ---------------------------------------------------------------------------------

    internal SimConnection? SignalingConnection
    {
        get
        {
            lock (_lock)
            {
                return _signaling;
            }
        }
    }

    internal List<SimConnection> MediaConnections(MediaDataType? type)
    {
        lock (_lock)
        {
            return [.. _media.Where(m => type is null || m.MediaType.HasFlag(MediaDataType.All) || (m.MediaType & type.Value) != 0)];
        }
    }

    internal void RejectNextSignaling()
    {
        lock (_lock)
        {
            _rejectNextAsDuplicate = true;
        }
    }

    internal void SetPaused(bool paused)
    {
        lock (_lock)
        {
            if (State is MeetingState.Stopped or MeetingState.Created)
            {
                return;
            }
            State = paused ? MeetingState.Paused : (_media.Any(m => m.Ready) && _signaling is not null ? MeetingState.Streaming : MeetingState.Interrupted);
            _signaling?.Send(new StreamStateUpdate { RtmsStreamId = StreamId, State = paused ? RtmsStreamState.Paused : RtmsStreamState.Resumed, Timestamp = _simulator.WallMs });
            _signaling?.Send(new SessionStateUpdate { RtmsSessionId = RtmsSessionId, State = paused ? RtmsSessionState.Paused : RtmsSessionState.Resumed, Timestamp = _simulator.WallMs });
        }
        Changed();
    }

    /// <summary>Zoom's RTMS server fails: every connection drops abruptly, then a new <c>rtms_started</c> arrives for the same stream.</summary>
    internal async Task<HttpStatusCode> FailoverAsync(CancellationToken ct)
    {
        List<SimConnection> connections;
        lock (_lock)
        {
            _failingOver = true;
            connections = [.. _media];
            if (_signaling is { } signaling)
            {
                connections.Add(signaling);
                DetachSignaling(signaling);
            }
            foreach (var m in _media.ToList())
            {
                DetachMedia(m);
            }
            State = MeetingState.Interrupted;
            StartReconnectWindow(_simulator.Options.SignalingReconnectWindow, StopReason.AwaitReconnectionTimeout);
        }
        foreach (var connection in connections)
        {
            connection.Abort();
        }
        Changed();
        try
        {
            return await SendWebhookAsync("rtms_started", ct);
        }
        finally
        {
            lock (_lock)
            {
                _failingOver = false;
            }
        }
    }

    // ---- internals --------------------------------------------------------------------------------------------------

    private void OnClientReady()
    {
        while (_awaitingAck.TryDequeue(out var connection))
        {
            if (!connection.IsOpen)
            {
                continue;
            }
            connection.Ready = true;
            Counters.ClientReadyAck();
            if (State is MeetingState.Started or MeetingState.Interrupted)
            {
                State = MeetingState.Streaming;
                if (_startupBuffer && _signaling is { BufferData: false })
                {
                    _audioBuffer.Clear();
                }
                _startupBuffer = false;
                var now = _simulator.NowMs;
                _nextVideoMs = now;
                _nextShareMs = now;
                _nextPingMs = Math.Min(_nextPingMs, now + (long)_simulator.Options.KeepAliveInterval.TotalMilliseconds);
                _signaling?.Send(new StreamStateUpdate { RtmsStreamId = StreamId, State = RtmsStreamState.Active, Timestamp = _simulator.WallMs });
                if (!_everStreamed)
                {
                    _everStreamed = true;
                    SendEvent(EventType.FirstPacketTimestamp);
                    _signaling?.Send(new SessionStateUpdate { RtmsSessionId = RtmsSessionId, State = RtmsSessionState.Started, Timestamp = _simulator.WallMs });
                    SendEvent(EventType.ParticipantJoin, participants: _participants);
                    SendEvent(EventType.ParticipantVideoOn, participants: _participants);
                    SendEvent(EventType.ActiveSpeakerChange, speaker: _participants[_speaker]);
                }
            }
            return;
        }
    }

    private List<SimConnection>? PingAll()
    {
        List<SimConnection>? dropped = null;
        var now = _simulator.WallMs;
        var max = _simulator.Options.MaxMissedKeepAlives;
        if (_signaling is { IsOpen: true } signaling && !Faults.SignalingPingsSuppressed && !signaling.Ping(now, max))
        {
            (dropped ??= []).Add(signaling);
        }
        foreach (var media in _media)
        {
            if (media.IsOpen && !Faults.MediaPingsSuppressed && !media.Ping(now, max))
            {
                (dropped ??= []).Add(media);
            }
        }
        return dropped;
    }

    private void ProduceAudio(long nowMs)
    {
        var connection = _signaling is null ? null : _media.FirstOrDefault(m => m.Carries(MediaDataType.Audio));
        var step = connection?.MediaParams?.Audio?.SendRate ?? BufferGranularityMs;
        if (connection is not null)
        {
            // Buffered audio goes out in packets of the negotiated send rate, each stamped with its first moment.
            var perPacket = Math.Max(1, step / BufferGranularityMs);
            while (_audioBuffer.TryDequeue(out var bufferedAt))
            {
                for (var i = 1; i < perPacket && _audioBuffer.Count > 0; i++)
                {
                    _audioBuffer.Dequeue();
                }
                SendAudio(connection, bufferedAt, step);
            }
        }
        var limit = (int)(_simulator.Options.AudioBufferLimit.TotalMilliseconds / BufferGranularityMs);
        while (_nextAudioMs <= nowMs)
        {
            var zoomTimestamp = _simulator.WallMs - (nowMs - _nextAudioMs);
            if (connection is not null)
            {
                SendAudio(connection, zoomTimestamp, step);
                _nextAudioMs += step;
            }
            else
            {
                _audioBuffer.Enqueue(zoomTimestamp);
                while (_audioBuffer.Count > limit)
                {
                    _audioBuffer.Dequeue();
                }
                _nextAudioMs += BufferGranularityMs;
            }
        }
    }

    private void SendAudio(SimConnection connection, long zoomTimestamp, int durationMs)
    {
        var audio = connection.MediaParams!.Audio!;
        var rate = MediaFormats.SampleRateHz(audio.SampleRate ?? AudioSampleRate.Rate16K);
        var channels = audio.Channel == AudioChannel.Stereo ? 2 : 1;
        var perSpeaker = audio.DataOpt == MediaDataOption.AudioMultiStreams;
        var speaker = _participants[_speaker];
        var pcm = new byte[rate * durationMs / 1000 * channels * 2];
        Voices.Slice(Voice(speaker, rate, channels), zoomTimestamp * rate / 1000 * channels * 2, pcm);
        if (_simulator.Options.EmbedSendTimestamps && pcm.Length >= SendStamp.Length)
        {
            SendStamp.Write(pcm, DateTimeOffset.UtcNow);
        }
        var message = new MediaDataMessage(MessageType.MediaDataAudio)
        {
            UserId = perSpeaker ? RtmsUserId.FromNumber(speaker.UserId) : RtmsUserId.None,
            UserName = perSpeaker ? speaker.Name : null,
            Payload = MediaPayload.FromBytes(pcm),
            DeclaredLength = pcm.Length,
            Timestamp = zoomTimestamp,
        };
        if (connection.Send(message, media: true))
        {
            Counters.Audio();
        }
    }

    private byte[] Voice(SimulatedParticipant speaker, int rate, int channels)
    {
        if (Options.AudioWavPath is not { } path)
        {
            return Voices.Tone(speaker.ToneHz, rate, channels);
        }
        if (!_wavVoices.TryGetValue((rate, channels), out var voice))
        {
            voice = WavVoice.Load(path, rate, channels);
            _wavVoices[(rate, channels)] = voice;
        }
        return voice;
    }

    private void ProduceVideo(long nowMs)
    {
        if (_signaling is null)
        {
            return;
        }
        if (nowMs >= _nextVideoMs && _media.FirstOrDefault(m => m.Carries(MediaDataType.Video)) is { } video)
        {
            _nextVideoMs = nowMs + (1000 / Math.Max(1, video.MediaParams?.Video?.Fps ?? 5));
            if (SendImage(video, MessageType.MediaDataVideo, _participants[_speaker]))
            {
                Counters.Video();
            }
        }
        if (_sharer is not null && nowMs >= _nextShareMs && _media.FirstOrDefault(m => m.Carries(MediaDataType.Deskshare)) is { } share)
        {
            _nextShareMs = nowMs + (1000 / Math.Max(1, share.MediaParams?.Deskshare?.Fps ?? 1));
            if (SendImage(share, MessageType.MediaDataShare, _sharer))
            {
                Counters.Share();
            }
        }
    }

    private bool SendImage(SimConnection connection, MessageType type, SimulatedParticipant who)
    {
        var jpeg = JpegFrames.Render(_frameNumber++, _simulator.Options.EmbedSendTimestamps ? DateTimeOffset.UtcNow : null);
        return connection.Send(new MediaDataMessage(type)
        {
            UserId = RtmsUserId.FromNumber(who.UserId),
            UserName = who.Name,
            Payload = MediaPayload.FromBytes(jpeg),
            DeclaredLength = jpeg.Length,
            Timestamp = _simulator.WallMs,
        }, media: true);
    }

    private void ProduceTranscripts(long nowMs)
    {
        if (nowMs < _nextTranscriptMs)
        {
            return;
        }
        var interval = (long)Math.Max(10, Options.TranscriptInterval.TotalMilliseconds);
        _nextTranscriptMs = Math.Max(_nextTranscriptMs + interval, nowMs - interval);
        if (_signaling is null || _media.FirstOrDefault(m => m.Carries(MediaDataType.Transcript)) is not { } connection)
        {
            return;
        }
        var lines = Options.TranscriptLines ?? TranscriptScript.Default;
        var speaker = _participants[_speaker];
        var end = _simulator.WallMs;
        var start = end - Math.Min(interval, 1500);
        var sent = connection.Send(new MediaDataMessage(MessageType.MediaDataTranscript)
        {
            UserId = RtmsUserId.FromNumber(speaker.UserId),
            UserName = speaker.Name,
            Text = lines[_transcriptIndex++ % lines.Count],
            StartTime = start,
            EndTime = end,
            Language = TranscriptLanguage.English,
            Timestamp = start,
        }, media: true);
        if (sent)
        {
            Counters.Transcript();
        }
    }

    private void RotateSpeaker(long nowMs)
    {
        if (nowMs < _nextSpeakerMs || _participants.Count == 0)
        {
            return;
        }
        _nextSpeakerMs = nowMs + (long)Math.Max(10, Options.ActiveSpeakerInterval.TotalMilliseconds);
        _speaker = (_speaker + 1) % _participants.Count;
        SendEvent(EventType.ActiveSpeakerChange, speaker: _participants[_speaker]);
    }

    /// <summary>Sends an EVENT_UPDATE if the client subscribed (1 and 7 are always sent).</summary>
    private void SendEvent(EventType type, SimulatedParticipant? speaker = null, IEnumerable<SimulatedParticipant>? participants = null)
    {
        if (_signaling is not { } signaling || (type is not (EventType.FirstPacketTimestamp or EventType.MediaConnectionInterrupted) && !signaling.SubscribedEvents.Contains((int)type)))
        {
            return;
        }
        var evt = new RtmsEvent { EventType = (int)type, Timestamp = _simulator.WallMs };
        if (speaker is not null)
        {
            evt.UserId = RtmsUserId.FromNumber(speaker.UserId);
            evt.UserName = speaker.Name;
        }
        if (participants is not null)
        {
            evt.Participants = [.. participants.Select(p => new RtmsParticipant { UserId = RtmsUserId.FromNumber(p.UserId), UserName = type == EventType.ParticipantJoin ? p.Name : null })];
        }
        if (signaling.Send(new EventUpdate { Event = evt }))
        {
            Counters.Event();
        }
    }

    private bool EndStream(StopReason reason, out List<SimConnection> connections)
    {
        lock (_lock)
        {
            connections = [];
            if (State == MeetingState.Stopped)
            {
                return false;
            }
            State = MeetingState.Stopped;
            _reconnectWindow?.Cancel();
            var now = _simulator.WallMs;
            if (_signaling is { } signaling)
            {
                signaling.Send(new StreamStateUpdate { RtmsStreamId = StreamId, State = RtmsStreamState.Terminated, Reason = reason, Timestamp = now });
                signaling.Send(new SessionStateUpdate { RtmsSessionId = RtmsSessionId, State = RtmsSessionState.Stopped, StopReasonField = reason, Timestamp = now });
                SendEvent(EventType.ParticipantLeave, participants: _participants);
                connections.Add(signaling);
                DetachSignaling(signaling);
            }
            foreach (var media in _media.ToList())
            {
                connections.Add(media);
                DetachMedia(media);
            }
        }
        Changed();
        return true;
    }

    private void StartReconnectWindow(TimeSpan window, StopReason reason)
    {
        _reconnectWindow?.Cancel();
        var cts = new CancellationTokenSource();
        _reconnectWindow = cts;
        _ = Task.Delay(window, cts.Token).ContinueWith(
            t =>
            {
                if (!t.IsCanceled && State == MeetingState.Interrupted)
                {
                    _ = StopAsync(reason, CancellationToken.None);
                }
            },
            TaskScheduler.Default);
    }

    private void DetachSignaling(SimConnection connection)
    {
        if (_signaling == connection)
        {
            _signaling = null;
            Counters.LiveSignaling(-1);
        }
    }

    private void DetachMedia(SimConnection connection)
    {
        if (_media.Remove(connection))
        {
            Counters.LiveMedia(-1);
        }
    }

    private RtmsSessionState SessionStateNow => State switch
    {
        MeetingState.Paused => RtmsSessionState.Paused,
        MeetingState.Stopped => RtmsSessionState.Stopped,
        MeetingState.Streaming => RtmsSessionState.Started,
        _ => RtmsSessionState.Initialize,
    };

    private RtmsStreamState StreamStateNow => State switch
    {
        MeetingState.Paused => RtmsStreamState.Paused,
        MeetingState.Stopped => RtmsStreamState.Terminated,
        MeetingState.Streaming => RtmsStreamState.Active,
        MeetingState.Interrupted => RtmsStreamState.Interrupted,
        _ => RtmsStreamState.Inactive,
    };

    internal void Changed()
    {
        if (Volatile.Read(ref _waiters) == 0)
        {
            return;
        }
        var previous = Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }

    private static SimulatedParticipant NewParticipant(int meetingIndex, int i) =>
        new(16_778_240 + (meetingIndex * 100) + i, ParticipantNames[i % ParticipantNames.Length] + (i >= ParticipantNames.Length ? $" {i}" : string.Empty), 220 + (i * 110));

    private static readonly string[] ParticipantNames = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson", "Edsger Dijkstra", "Barbara Liskov"];

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
