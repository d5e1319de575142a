using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>Handshakes, client messages and lost connections (called from the sockets' handlers).</summary>
public sealed partial class SimulatedMeeting
{
    /// <summary>
    /// A signaling handshake (msg_type 1) for this stream: answers msg_type 2 (queued first, before anything else can be
    /// sent on the socket) and attaches the connection on success. Returns the status sent.
    /// </summary>
    internal StatusCode AcceptSignaling(SignalingHandshakeRequest request, SimConnection connection, IReadOnlyDictionary<string, string> mediaUrls)
    {
        Counters.SignalingHandshake();
        connection.UseFaultsOf(this);
        SimConnection? kicked = null;
        List<SimConnection> kickedMedia = [];
        StatusCode status;
        string? reason;
        lock (_lock)
        {
            (status, reason) = CheckSignaling(request);
            var liveNow = status == StatusCode.Ok ? _signaling : null;
            if (liveNow is { } live)
            {
                Counters.Duplicate();
                LogDuplicateSignaling(StreamId, connection.RemoteEndpoint, live.RemoteEndpoint, _options.DuplicateSignaling);
                if (_options.DuplicateSignaling == DuplicateSignalingMode.Reject)
                {
                    (status, reason) = (StatusCode.DuplicateSignalRequest, "duplicate signal request: the stream already has a signaling connection");
                }
                else
                {
                    kicked = live;
                    DetachSignaling(live);
                    kickedMedia = DetachAllMedia();
                }
            }
            if (status == StatusCode.Ok && _rejectNextAsDuplicate)
            {
                _rejectNextAsDuplicate = false;
                (status, reason) = (StatusCode.DuplicateSignalRequest, "duplicate signal request");
            }
            var statusless = status == StatusCode.Ok && _statuslessSignaling;
            if (statusless)
            {
                (status, reason) = (StatusCode.InvalidPayload, "refused without a status code (fault injection)");
            }
            RecordAttempt(new SignalingAttempt(_options.TimeProvider.GetUtcNow(), connection.RemoteEndpoint, status, liveNow?.RemoteEndpoint));
            var response = new SignalingHandshakeResponse
            {
                Sequence = request.Sequence,
                StatusCode = status,
                Reason = status == StatusCode.Ok ? string.Empty : reason,
                MediaServer = status == StatusCode.Ok ? new MediaServerInfo { ServerUrls = AppScopes.Urls(mediaUrls, Scopes) } : null,
            };
            if (statusless)
            {
                SendWithoutStatus(connection, response);
            }
            else
            {
                connection.Send(response);
            }
            if (status == StatusCode.Ok)
            {
                connection.AttachSignaling(this, request.BufferData ?? true);
                connection.NextPingDueMs = _clock.MonoMs + PingIntervalMs;
                _signaling = connection;
                _signalingDeadline = null;
                _lostToKeepAlive = false;
                Counters.LiveSignaling(1);
                if (!_everSignaled)
                {
                    _everSignaled = true;
                    if (!connection.BufferData)
                    {
                        // buffer_data:false drops what was captured between rtms_started and this handshake (§3.4).
                        _backlog.Clear();
                    }
                }
            }
            else
            {
                Counters.SignalingRefusedOne();
            }
        }
        if (kicked is not null)
        {
            _simulator.Background.Run(() => kicked.CloseAsync(WebSocketCloseStatus.NormalClosure, "replaced by a new signaling connection"), "closing a kicked-out signaling connection");
            foreach (var media in kickedMedia)
            {
                media.Abort();
            }
        }
        LogSignalingHandshake(StreamId, (int)status, reason ?? string.Empty);
        Changed();
        return status;
    }

    /// <summary>A data handshake (msg_type 3): answers msg_type 4 with the effective media parameters and waits for its ACK.</summary>
    internal StatusCode AcceptMedia(DataHandshakeRequest request, SimConnection connection)
    {
        Counters.MediaHandshake();
        connection.UseFaultsOf(this);
        StatusCode status;
        string? reason;
        lock (_lock)
        {
            (status, reason) = CheckMedia(request);
            var statusless = status == StatusCode.Ok && _statuslessData;
            if (statusless)
            {
                (status, reason) = (StatusCode.InvalidPayload, "refused without a status code (fault injection)");
            }
            var delivers = AppScopes.Delivered(request.MediaType, Scopes);
            // ALL echoes (and delivers) only what the scopes allow.
            var effective = status == StatusCode.Ok ? MediaParamsDefaults.Effective(delivers, request.MediaParams) : null;
            var encrypted = (request.MediaType & _encryptedPayloads) != 0;
            var response = new DataHandshakeResponse
            {
                Sequence = request.Sequence,
                StatusCode = status,
                Reason = status == StatusCode.Ok ? string.Empty : reason,
                PayloadEncryption = status == StatusCode.Ok && !Options.Variants.PayloadEncryptedFlag ? encrypted : null,
                PayloadEncrypted = status == StatusCode.Ok && Options.Variants.PayloadEncryptedFlag ? encrypted : null,
                MediaParams = effective,
            };
            if (statusless)
            {
                SendWithoutStatus(connection, response);
            }
            else
            {
                connection.Send(response);
            }
            if (effective is not null)
            {
                connection.AttachMedia(this, request.MediaType, delivers, effective);
                connection.NextPingDueMs = _clock.MonoMs + PingIntervalMs;
                _media.Add(connection);
                _awaitingAck.Add(connection);
                _mediaDeadline = null;
                _lostToKeepAlive = false;
                if (connection.MediaParams?.Video is not null)
                {
                    _videoSubscription = null;
                }
                Counters.LiveMedia(1);
            }
            else
            {
                Counters.MediaRefusedOne();
            }
        }
        LogMediaHandshake(StreamId, (int)request.MediaType, (int)status, reason ?? string.Empty);
        Changed();
        return status;
    }

    /// <summary>A handshake response with its <c>status_code</c> removed (<see cref="MeetingFaults.AnswerHandshakesWithoutStatus"/>).</summary>
    private static void SendWithoutStatus(SimConnection connection, RtmsMessage response)
    {
        var json = JsonNode.Parse(RtmsMessageWriter.ToUtf8Bytes(response))!.AsObject();
        json.Remove("status_code");
        connection.SendControl(Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    private (StatusCode, string?) CheckSignaling(SignalingHandshakeRequest request)
    {
        if (!_started || _stopped)
        {
            return (StatusCode.InvalidRtmsStreamId, _stopped ? "the stream has ended" : "the stream has not started");
        }
        if (HandshakeIdCheck.Refusal(request, Options.Product, InstanceId, Options.HandshakeIdReading) is { } refusal)
        {
            return refusal;
        }
        if (!RtmsHandshakeSignature.Verify(_options.ClientId, _options.ClientSecret, InstanceId, StreamId, request.Signature))
        {
            return (StatusCode.InvalidSignature, "invalid signature");
        }
        return (StatusCode.Ok, null);
    }

    private (StatusCode, string?) CheckMedia(DataHandshakeRequest request)
    {
        if (!_started || _stopped)
        {
            return (StatusCode.InvalidRtmsStreamId, _stopped ? "the stream has ended" : "the stream has not started");
        }
        if (HandshakeIdCheck.Refusal(request, Options.Product, InstanceId, Options.HandshakeIdReading) is { } refusal)
        {
            return refusal;
        }
        if (!RtmsHandshakeSignature.Verify(_options.ClientId, _options.ClientSecret, InstanceId, StreamId, request.Signature))
        {
            return (StatusCode.InvalidSignature, "invalid signature");
        }
        if (_signaling is null)
        {
            return (StatusCode.InvalidRtmsStreamId, "no signaling connection for this stream");
        }
        if (MediaParamsValidator.Validate(request.MediaType, null) is var value and not StatusCode.Ok)
        {
            return (value, $"invalid media_type {(int)request.MediaType}");
        }
        if (request.MediaType.HasFlag(MediaDataType.All) && request.MediaType != MediaDataType.All)
        {
            // 32 is a value of its own, not a bit to combine (§4.2).
            return (StatusCode.MediaTypeInvalidValue, $"media_type {(int)request.MediaType}: ALL (32) cannot be combined with other types");
        }
        if (AppScopes.FirstRefused(request.MediaType, Scopes) is { } refused)
        {
            return (refused, $"the app's scopes do not include this media type ({refused})");
        }
        var status = MediaParamsValidator.Validate(request.MediaType, request.MediaParams);
        if (status != StatusCode.Ok)
        {
            return (status, $"invalid media parameters: {status}");
        }
        var effective = MediaParamsDefaults.Effective(request.MediaType, request.MediaParams);
        if (effective.Audio?.Codec is { } audioCodec && !VoiceLibrary.CanEncode(audioCodec))
        {
            return (StatusCode.InvalidMediaAudioCodec, $"this simulator produces L16 and G711 audio, not {audioCodec}");
        }
        if (effective.Video?.Codec is { } videoCodec && videoCodec is not (MediaCodec.Jpg or MediaCodec.H264))
        {
            return (StatusCode.InvalidMediaVideoCodec, $"this simulator produces JPG and H.264 video, not {videoCodec}");
        }
        if (effective.Deskshare?.Codec is { } shareCodec && shareCodec is not (MediaCodec.Jpg or MediaCodec.H264))
        {
            return (StatusCode.InvalidMediaDeskshareCodec, $"this simulator produces JPG and H.264 screen share, not {shareCodec}");
        }
        var all = request.MediaType.HasFlag(MediaDataType.All);
        foreach (var live in _media)
        {
            if (all || live.MediaType.HasFlag(MediaDataType.All))
            {
                return (StatusCode.MediaDataAllConnectionExist, "a unified (all) media connection cannot be combined with others");
            }
            if ((live.MediaType & request.MediaType) != 0)
            {
                return (StatusCode.DuplicateMediaDataConnection, "duplicate media data connection");
            }
        }
        return (StatusCode.Ok, null);
    }

    /// <summary>A message the client sent on its signaling socket after the handshake.</summary>
    internal void OnSignalingMessage(SimConnection connection, RtmsMessage message)
    {
        List<SimConnection>? closing = null;
        StatusCode? rehandshake = null;
        lock (_lock)
        {
            if (_signaling != connection)
            {
                return;
            }
            var now = _clock.WallMs;
            switch (message)
            {
                case KeepAliveResponse pong:
                    AnswerPing(connection, pong.Timestamp);
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
                case ClientReadyAck ack when ack.RtmsStreamId == StreamId:
                    OnClientReady();
                    break;
                case ClientReadyAck wrong:
                    // Not this stream's ACK: media stays gated until a correct one.
                    LogWrongClientReadyAck(StreamId, wrong.RtmsStreamId);
                    break;
                case SessionStateRequest request:
                    connection.Send(new SessionStateResponse
                    {
                        RtmsSessionId = request.RtmsSessionId,
                        State = request.RtmsSessionId == RtmsSessionId ? SessionStateNow : RtmsSessionState.Inactive,
                        Timestamp = now,
                    });
                    break;
                case StreamStateRequest:
                    // DOC-ER's example answers in seconds here (milliseconds elsewhere): clients must not assume units.
                    connection.Send(new StreamStateResponse { RtmsStreamId = StreamId, State = StreamStateNow, Timestamp = now / 1000 });
                    break;
                case StreamCloseRequest:
                    connection.Send(new StreamCloseResponse { RtmsStreamId = StreamId, StatusCode = StatusCode.Ok, Reason = "OK", Timestamp = now });
                    // End the stream now, before the client can act on 22: a client closing right after reading it must
                    // not look like a lost connection (no rtms_interrupted). Sockets are closed after the lock.
                    closing = EndStreamLocked(StopReason.ReceiverRequestClose).Connections;
                    break;
                case SignalingHandshakeRequest again:
                    // §3.9: an app that saw no ping for 65 s re-sends the handshake; on the live connection it is answered.
                    rehandshake = AnswerRehandshake(again, connection);
                    break;
                case VideoSubscriptionRequest video:
                    connection.Send(SubscribeVideo(video));
                    break;
                default:
                    LogIgnoredClientMessage(StreamId, (int)message.MsgType);
                    break;
            }
        }
        if (closing is not null)
        {
            LogStopped(StreamId, (int)StopReason.ReceiverRequestClose, StopReason.ReceiverRequestClose);
            foreach (var c in closing)
            {
                _simulator.Background.Run(() => c.CloseAsync(WebSocketCloseStatus.NormalClosure, "stream stopped"), $"closing a socket of {StreamId} after STREAM_CLOSE_REQ");
            }
        }
        if (rehandshake is { } status)
        {
            LogSignalingHandshake(StreamId, (int)status, "re-sent on the live signaling connection");
        }
        Changed();
    }

    /// <summary>A signaling handshake on the signaling connection that is already live: same checks, and on success
    /// status 0 with the media URLs again (it is the same connection, nothing else changes).</summary>
    private StatusCode AnswerRehandshake(SignalingHandshakeRequest request, SimConnection connection)
    {
        Counters.SignalingHandshake();
        var (status, reason) = request.RtmsStreamId != StreamId ? (StatusCode.InvalidRtmsStreamId, "unknown rtms_stream_id")
            : request.ProtocolVersion != 1 ? (StatusCode.InvalidPayload, $"unsupported protocol_version {request.ProtocolVersion}")
            : CheckSignaling(request);
        connection.Send(new SignalingHandshakeResponse
        {
            Sequence = request.Sequence,
            StatusCode = status,
            Reason = status == StatusCode.Ok ? string.Empty : reason,
            MediaServer = status == StatusCode.Ok ? new MediaServerInfo { ServerUrls = new Dictionary<string, string>(_simulator.MediaUrls) } : null,
        });
        return status;
    }

    /// <summary>A message the client sent on a media socket after the handshake (only keep-alive answers are expected).</summary>
    internal void OnMediaMessage(SimConnection connection, RtmsMessage message)
    {
        lock (_lock)
        {
            if (message is KeepAliveResponse pong && _media.Contains(connection))
            {
                AnswerPing(connection, pong.Timestamp);
            }
            else
            {
                LogIgnoredClientMessage(StreamId, (int)message.MsgType);
            }
        }
        Changed();
    }

    /// <summary>A client message that could not be parsed: Zoom ignores it.</summary>
    internal void OnUnreadableClientMessage(string error)
    {
        Counters.ClientError();
        LogUnreadableClientMessage(StreamId, error);
    }

    /// <summary>A socket of this stream ended (client close, network failure, keep-alive timeout, fault injection).</summary>
    internal void OnConnectionLost(SimConnection connection)
    {
        if (_simulator.Stopping.IsCancellationRequested)
        {
            return; // the simulator is shutting down: no interruptions to announce
        }
        if (connection.IsSignaling)
        {
            _ = OnSignalingLost(connection, announce: true);
        }
        else
        {
            OnMediaLost(connection);
        }
    }

    /// <summary>
    /// Signaling is gone: Zoom interrupts media too, posts <c>rtms_interrupted</c> and waits
    /// <see cref="SimulatorOptions.SignalingReconnectWindow"/> for a new signaling handshake (audio keeps buffering).
    /// Returns the webhook's delivery.
    /// </summary>
    internal Task<HttpStatusCode> OnSignalingLost(SimConnection connection, bool announce)
    {
        List<SimConnection> media;
        bool stopping;
        Task<HttpStatusCode> webhook = Task.FromResult<HttpStatusCode>(0);
        lock (_lock)
        {
            if (_signaling != connection)
            {
                return webhook;
            }
            DetachSignaling(connection);
            if (_stopped)
            {
                return webhook;
            }
            media = DetachAllMedia();
            // After a webhook-first rtms_stopped went out, a client closing signaling is no interruption: the stream ends.
            stopping = _stoppedWebhook is not null;
            if (!stopping)
            {
                Counters.Interruption();
                _mediaDeadline = null;
                _signalingDeadline = _clock.MonoMs + (long)_options.SignalingReconnectWindow.TotalMilliseconds;
                if (announce)
                {
                    webhook = EnqueueWebhook("rtms_interrupted");
                }
            }
        }
        foreach (var m in media)
        {
            m.Abort();
        }
        if (stopping)
        {
            Changed();
            return webhook;
        }
        LogSignalingLost(StreamId, _options.SignalingReconnectWindow);
        Changed();
        return webhook;
    }

    /// <summary>A media socket is gone: Zoom reports it on signaling (event 7, stream state 2 reason 14) and waits
    /// <see cref="SimulatorOptions.MediaReconnectWindow"/> for a replacement.</summary>
    internal void OnMediaLost(SimConnection connection)
    {
        lock (_lock)
        {
            if (!_media.Remove(connection))
            {
                return;
            }
            _awaitingAck.Remove(connection);
            Counters.LiveMedia(-1);
            if (_stopped || _signaling is null || _stoppedWebhook is not null)
            {
                return;
            }
            Counters.Interruption();
            SendEvent(EventType.MediaConnectionInterrupted);
            SendStreamState(RtmsStreamState.Interrupted, StopReason.DataConnectionInterrupted);
            _mediaDeadline ??= _clock.MonoMs + (long)_options.MediaReconnectWindow.TotalMilliseconds;
        }
        LogMediaLost(StreamId, _options.MediaReconnectWindow);
        Changed();
    }

    /// <summary>CLIENT_READY_ACK: the oldest media socket waiting for one starts receiving media.</summary>
    private void OnClientReady()
    {
        SimConnection? ready = null;
        while (_awaitingAck.Count > 0 && ready is null)
        {
            var candidate = _awaitingAck[0];
            _awaitingAck.RemoveAt(0);
            if (candidate.IsOpen)
            {
                ready = candidate;
            }
        }
        if (ready is null || _signaling is not { } signaling)
        {
            return;
        }
        var wasStreaming = IsStreamingLocked;
        ready.Ready = true;
        _mediaFlowing = false;
        Counters.ClientReadyAck();
        if (!wasStreaming && !_paused)
        {
            SendStreamState(RtmsStreamState.Active, StopReason.Undefined);
            if (!_sessionStarted)
            {
                _sessionStarted = true;
                SendSessionState(RtmsSessionState.Started, null);
            }
        }
        _everStreamed = true;
        if (!signaling.HasStreamed)
        {
            // What a newly connected client learns: when the stream's media began, who is there, whose video is on, who speaks.
            signaling.HasStreamed = true;
            SendEvent(EventType.FirstPacketTimestamp, timestamp: _epochWall);
            SendEvent(EventType.ParticipantJoin, participants: _participants, names: true);
            var withVideo = _participants.FindAll(p => p.VideoOn);
            if (withVideo.Count > 0)
            {
                SendEvent(EventType.ParticipantVideoOn, participants: withVideo);
            }
            if (_activeSpeaker is { } speaker)
            {
                SendEvent(EventType.ActiveSpeakerChange, user: speaker);
            }
        }
    }

    private VideoSubscriptionResponse SubscribeVideo(VideoSubscriptionRequest request)
    {
        var response = new VideoSubscriptionResponse { UserId = request.UserId, Timestamp = _clock.WallMs, StatusCode = StatusCode.Ok, Reason = string.Empty };
        var individual = _media.Exists(m => m.MediaParams?.Video?.DataOpt == MediaDataOption.VideoSingleIndividualStream);
        if (!individual)
        {
            return Refused(StatusCode.InvalidMediaVideoDataOpt, "individual video needs a video connection with data_opt 4");
        }
        var userId = request.UserId.Number;
        if (_participants.Find(p => p.UserId == userId) is null)
        {
            return Refused(StatusCode.InvalidPayload, "unknown user_id");
        }
        if (request.Subscribe)
        {
            if (_videoSubscription == userId)
            {
                return Refused(StatusCode.DuplicateVideoSubscription, "already subscribed to this participant's video");
            }
            // V1: one individual video at a time; a new subscription replaces the previous one. Its stream starts at a key
            // frame, as an encoder's does for a new receiver.
            _videoSubscription = userId;
            _videoRun = default;
            _nextVideoMs = _clock.MonoMs;
        }
        else if (_videoSubscription == userId)
        {
            _videoSubscription = null;
        }
        return response;

        VideoSubscriptionResponse Refused(StatusCode status, string reason)
        {
            response.StatusCode = status;
            response.Reason = reason;
            return response;
        }
    }

    private void AnswerPing(SimConnection connection, long timestamp)
    {
        if (connection.TryAnswerPing(timestamp))
        {
            Counters.KeepAliveAnswered();
        }
    }

    private void DetachSignaling(SimConnection connection)
    {
        if (_signaling == connection)
        {
            _signaling = null;
            Counters.LiveSignaling(-1);
        }
    }

    private List<SimConnection> DetachAllMedia()
    {
        var media = new List<SimConnection>(_media);
        Counters.LiveMedia(-_media.Count);
        _media.Clear();
        _awaitingAck.Clear();
        return media;
    }

    private RtmsSessionState SessionStateNow => StateLocked switch
    {
        MeetingState.Paused => RtmsSessionState.Paused,
        MeetingState.Stopped => RtmsSessionState.Stopped,
        _ when _sessionStarted => RtmsSessionState.Started,
        _ => RtmsSessionState.Initialize,
    };

    private RtmsStreamState StreamStateNow => StateLocked switch
    {
        MeetingState.Paused => RtmsStreamState.Paused,
        MeetingState.Stopped => RtmsStreamState.Terminated,
        MeetingState.Streaming => RtmsStreamState.Active,
        MeetingState.Interrupted => RtmsStreamState.Interrupted,
        _ => RtmsStreamState.Inactive,
    };

    /// <summary>The media types this meeting's app scopes allow.</summary>
    private MediaDataType Scopes => (Options.AppScopes ?? _options.AppScopes) & AppScopes.Everything;

    private long PingIntervalMs => Math.Max(1, (long)_options.KeepAliveInterval.TotalMilliseconds);
}
