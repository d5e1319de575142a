using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RtmsGateway.Api.V1;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using RtmsGateway.Protocol;
using RtmsGateway.Protocol.Serialization;
using RtmsGateway.Rtms;
using ApiSessionState = RtmsGateway.Api.V1.SessionState;

namespace RtmsGateway.Sessions;

/// <summary>
/// The live state of one RTMS stream on its owner replica: four channels (audio, video, transcripts, events) fed by the
/// RTMS client, and the session's public description. Converts each RTMS message once into the public API message that
/// every subscriber shares.
/// </summary>
internal sealed class SessionHub : IRtmsStreamSink
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly UserIdText _userIds = new();
    private readonly Action<SessionHub, SessionChange> _changed;
    private readonly bool _contactCenter;
    private readonly SessionInfo _info;
    private readonly GatewayMetrics? _metrics;
    private readonly SessionChannel<EncodedMessage>[] _channels;
    private AudioFormat _audioFormat = new();
    private VideoFormat _videoFormat = new();
    private VideoFormat _shareFormat = new();

    public SessionHub(SessionRecord record, ulong epoch, string replicaId, FanoutOptions options, TimeProvider time, Action<SessionHub, SessionChange> changed, GatewayMetrics? metrics = null)
    {
        _metrics = metrics;
        Record = record;
        _time = time;
        _changed = changed;
        _contactCenter = record.Product == Protocol.Webhooks.RtmsProduct.ContactCenter;
        Audio = NewChannel("audio", reliable: false, options, epoch, time, metrics);
        Video = NewChannel("video", reliable: false, options, epoch, time, metrics);
        Transcripts = NewChannel("transcripts", reliable: true, options, epoch, time, metrics);
        Events = NewChannel("events", reliable: true, options, epoch, time, metrics);
        _channels = [Audio, Video, Transcripts, Events];
        _info = new SessionInfo
        {
            RtmsStreamId = record.StreamId,
            InstanceId = record.InstanceId,
            Product = ApiFormats.Product(record.Product),
            State = ApiSessionState.Connecting,
            MeetingId = record.MeetingId ?? 0,
            OperatorId = record.OperatorId ?? string.Empty,
            AccountId = record.AccountId ?? string.Empty,
            StartedAt = Timestamp.FromDateTimeOffset(record.AcceptedAt),
            Owner = new SessionOwner { ReplicaId = replicaId, Epoch = epoch },
            Media = new SessionMedia(),
        };
    }

    public SessionRecord Record { get; }

    public string StreamId => Record.StreamId;

    public string InstanceId => Record.InstanceId;

    public SessionChannel<EncodedMessage> Audio { get; }

    public SessionChannel<EncodedMessage> Video { get; }

    public SessionChannel<EncodedMessage> Transcripts { get; }

    public SessionChannel<EncodedMessage> Events { get; }

    /// <summary>Reads the reconnect count of the client feeding this hub.</summary>
    public Func<int>? ReconnectCounter { get; set; }

    public bool IsStopped
    {
        get
        {
            lock (_lock)
            {
                return _info.State == ApiSessionState.Stopped;
            }
        }
    }

    /// <summary>Stopped because Zoom revoked the stream: its media must not be kept or served.</summary>
    public bool IsRevoked
    {
        get
        {
            lock (_lock)
            {
                return _info.State == ApiSessionState.Stopped && _info.StopReason == (int)StopReason.StreamRevoked;
            }
        }
    }

    public SessionInfo Snapshot()
    {
        lock (_lock)
        {
            var copy = _info.Clone();
            copy.Reconnects = (uint)(ReconnectCounter?.Invoke() ?? 0);
            return copy;
        }
    }

    public void OnMediaNegotiated(MediaDataType mediaType, MediaParams effective)
    {
        lock (_lock)
        {
            var media = _info.Media;
            if (effective.Audio is { } audio)
            {
                _audioFormat = ApiFormats.Audio(audio);
                media.Audio = true;
                media.AudioFormat = _audioFormat;
            }
            if (effective.Video is { } video)
            {
                _videoFormat = ApiFormats.Video(video.Codec, video.Resolution, video.Fps);
                media.Video = true;
                media.VideoFormat = _videoFormat;
            }
            if (effective.Deskshare is { } share)
            {
                _shareFormat = ApiFormats.Video(share.Codec, share.Resolution, share.Fps);
                media.ScreenShare = true;
            }
            media.Transcripts |= effective.Transcript is not null;
            media.Chat |= effective.Chat is not null;
        }
    }

    public void OnMedia(MediaDataMessage message)
    {
        _metrics?.FrameIn(message.MsgType switch
        {
            MessageType.MediaDataAudio => "audio",
            MessageType.MediaDataVideo or MessageType.MediaDataShare => "video",
            MessageType.MediaDataTranscript => "transcripts",
            _ => "events",
        });
        var userId = _userIds.Of(message.UserId);
        switch (message.MsgType)
        {
            case MessageType.MediaDataAudio:
                Audio.Publish(userId, (Hub: this, Message: message, UserId: userId), static (sequence, s) => EncodedMessage.Of(new SubscribeAudioResponse
                {
                    Frame = new AudioFrame
                    {
                        Header = s.Hub.Header(sequence, s.Message.Timestamp, s.UserId, s.Message.UserName),
                        Format = s.Hub._audioFormat,
                        Data = Bytes(s.Message.Payload),
                        ChannelId = s.Message.ChannelId ?? 0,
                    },
                }));
                break;
            case MessageType.MediaDataVideo:
            case MessageType.MediaDataShare:
                Video.Publish(userId, (Hub: this, Message: message, UserId: userId), static (sequence, s) =>
                {
                    var source = s.Message.MsgType == MessageType.MediaDataShare ? VideoSource.ScreenShare : VideoSource.Camera;
                    return EncodedMessage.Of(new SubscribeVideoResponse
                    {
                        Frame = new VideoFrame
                        {
                            Header = s.Hub.Header(sequence, s.Message.Timestamp, s.UserId, s.Message.UserName),
                            Source = source,
                            Format = source == VideoSource.ScreenShare ? s.Hub._shareFormat : s.Hub._videoFormat,
                            Data = Bytes(s.Message.Payload),
                        },
                    }, tag: (int)source);
                });
                break;
            case MessageType.MediaDataTranscript:
                Transcripts.Publish(userId, (Hub: this, Message: message, UserId: userId), static (sequence, s) => EncodedMessage.Of(new SubscribeTranscriptsResponse
                {
                    Segment = new TranscriptSegment
                    {
                        Header = s.Hub.Header(sequence, s.Message.Timestamp, s.UserId, s.Message.UserName),
                        Text = s.Message.Text ?? string.Empty,
                        Language = (int)(s.Message.Language ?? TranscriptLanguage.None),
                        StartTimeMs = s.Message.StartTime ?? 0,
                        EndTimeMs = s.Message.EndTime ?? 0,
                        Attribute = (TranscriptSegment.Types.Attribute)(int)(s.Message.Attribute ?? DataMessageAttribute.None),
                        ChannelId = s.Message.ChannelId ?? 0,
                    },
                }));
                break;
            case MessageType.MediaDataChat:
                PublishEvent(userId, message.Timestamp, message.UserName, new SessionEvent
                {
                    Chat = new ChatMessage
                    {
                        Sender = new Participant { UserId = userId, UserName = message.UserName ?? string.Empty },
                        Text = message.Text ?? string.Empty,
                        RawJson = message.ContentJson ?? string.Empty,
                    },
                });
                break;
        }
    }

    public void OnEvent(EventUpdate update)
    {
        _metrics?.FrameIn("events");
        var e = update.Event;
        var userId = _userIds.Of(e.UserId);
        var evt = new SessionEvent();
        switch (_contactCenter ? -1 : e.EventType)
        {
            case (int)EventType.ActiveSpeakerChange:
                evt.ActiveSpeakerChanged = new ActiveSpeakerChanged { Speaker = Participant(e.UserId, e.UserName) };
                break;
            case (int)EventType.ParticipantJoin:
                evt.ParticipantsJoined = new ParticipantsJoined { Participants = { Participants(e) } };
                break;
            case (int)EventType.ParticipantLeave:
                evt.ParticipantsLeft = new ParticipantsLeft { Participants = { Participants(e) } };
                break;
            case (int)EventType.SharingStart:
                evt.SharingStarted = new SharingStarted { Sharer = Participant(e.UserId, e.UserName) };
                break;
            case (int)EventType.SharingStop:
                evt.SharingStopped = new SharingStopped();
                break;
            case (int)EventType.ParticipantVideoOn:
            case (int)EventType.ParticipantVideoOff:
                evt.ParticipantVideoChanged = new ParticipantVideoChanged { Participants = { Participants(e) }, VideoOn = e.EventType == (int)EventType.ParticipantVideoOn };
                break;
            default:
                evt.Other = new OtherEvent { EventType = e.EventType, RawJson = System.Text.Json.JsonSerializer.Serialize(e, RtmsJsonContext.Default.RtmsEvent) };
                break;
        }
        PublishEvent(userId, e.Timestamp, e.UserName, evt);
    }

    public void OnStreamState(StreamStateUpdate update) =>
        PublishEvent("0", update.Timestamp, null, new SessionEvent
        {
            StreamStateChanged = new RtmsStreamStateChanged { State = (int)update.State, Reason = (int)(update.Reason ?? StopReason.Undefined) },
        });

    public void OnSessionState(SessionStateUpdate update) =>
        PublishEvent("0", update.Timestamp, null, new SessionEvent
        {
            SessionStateChanged = new RtmsSessionStateChanged { RtmsSessionId = update.RtmsSessionId ?? string.Empty, State = (int)update.State, StopReason = (int)update.StopReason },
        });

    public void OnUpstreamState(ApiSessionState state, string detail)
    {
        lock (_lock)
        {
            if (_info.State == ApiSessionState.Stopped || _info.State == state)
            {
                return;
            }
            _info.State = state;
        }
        PublishEvent("0", 0, null, new SessionEvent { UpstreamStateChanged = new UpstreamStateChanged { State = state, Detail = detail } });
        _changed(this, SessionChange.StateChanged);
    }

    /// <summary>The stream is over: subscribers get <see cref="SessionEnded"/> after what is queued, and the call completes.</summary>
    public void Complete(StopReason reason, string description)
    {
        lock (_lock)
        {
            if (_info.State == ApiSessionState.Stopped)
            {
                return;
            }
            _info.State = ApiSessionState.Stopped;
            _info.StopReason = (int)reason;
            _info.StoppedAt = Timestamp.FromDateTimeOffset(_time.GetUtcNow());
        }
        var ended = new SessionEnded { StopReason = (int)reason, Description = description };
        // STREAM_REVOKED: "assets must be deleted immediately" (§3.8): nothing of the stream stays replayable.
        var purge = reason == StopReason.StreamRevoked;
        foreach (var channel in _channels)
        {
            channel.Complete(ended, purge);
        }
        _changed(this, SessionChange.Stopped);
    }

    /// <summary>Ends every live subscription with <paramref name="error"/> without stopping the session (drain).</summary>
    public void AbortSubscribers(Exception error)
    {
        foreach (var channel in _channels)
        {
            channel.AbortSubscribers(error);
        }
    }

    private void PublishEvent(string userId, long zoomTimestamp, string? userName, SessionEvent evt) =>
        Events.Publish(userId, (Hub: this, Event: evt, ZoomTimestamp: zoomTimestamp, UserId: userId, UserName: userName), static (sequence, s) =>
        {
            s.Event.Header = s.Hub.Header(sequence, s.ZoomTimestamp, s.UserId, s.UserName);
            return EncodedMessage.Of(new SubscribeEventsResponse { Event = s.Event });
        });

    private MessageHeader Header(ulong sequence, long zoomTimestamp, string userId, string? userName) => new()
    {
        Sequence = sequence,
        ZoomTimestampMs = zoomTimestamp,
        ReceivedAt = Timestamp.FromDateTimeOffset(_time.GetUtcNow()),
        UserId = userId,
        UserName = userName ?? string.Empty,
    };

    private Participant Participant(RtmsUserId? id, string? name) => new() { UserId = _userIds.Of(id), UserName = name ?? string.Empty };

    private IEnumerable<Participant> Participants(RtmsEvent e) =>
        (e.Participants ?? []).Select(p => Participant(p.UserId, p.UserName));

    /// <summary>
    /// Wraps the decoded (pooled) payload without copying: the response is encoded inside <c>Publish</c>, before
    /// <see cref="OnMedia"/> returns and the payload goes back to its pool, and nothing keeps the wrapper.
    /// </summary>
    private static ByteString Bytes(MediaPayload payload) => UnsafeByteOperations.UnsafeWrap(payload.Memory);

    private static SessionChannel<EncodedMessage> NewChannel(string name, bool reliable, FanoutOptions options, ulong epoch, TimeProvider time, GatewayMetrics? metrics) =>
        new(reliable, reliable ? options.ReliableSubscriberQueue : options.MediaSubscriberQueue, options.MaxSubscribersPerSession,
            options.ReplayCapacity, options.ReplayRetention, epoch, time, name, metrics, static m => m.Bytes.Length);
}
