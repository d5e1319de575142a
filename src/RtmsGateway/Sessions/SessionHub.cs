using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RtmsGateway.Api.V1;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using RtmsGateway.Protocol;
using RtmsGateway.Rtms;
using RtmsGateway.Sessions.Audio;
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
    private readonly bool _contactCenter;
    private readonly SessionInfo _info;
    private readonly GatewayMetrics? _metrics;
    private readonly SessionChannel<EncodedMessage>[] _channels;
    private readonly HistoryPersistence? _history;
    private byte[] _audioFormatBytes = [];
    private VideoFormatTracker _camera = new(null, new VideoFormat());
    private VideoFormatTracker _share = new(null, new VideoFormat());

    private int _reconnects;
    private int _firstMediaSeen;

    /// <param name="history">Cluster mode: transcripts and events are also stored in the cluster's history.</param>
    public SessionHub(SessionRecord record, ulong epoch, string replicaId, FanoutOptions options, TimeProvider time, GatewayMetrics? metrics = null, ReplayAccount? replayAccount = null,
        HistoryPersistence? history = null)
    {
        _metrics = metrics;
        _history = history;
        Record = record;
        _time = time;
        _contactCenter = record.Product == Protocol.Webhooks.RtmsProduct.ContactCenter;
        Audio = NewChannel("audio", reliable: false, options, epoch, time, metrics, replayAccount);
        Video = NewChannel("video", reliable: false, options, epoch, time, metrics, replayAccount);
        Transcripts = NewChannel("transcripts", reliable: true, options, epoch, time, metrics, replayAccount, Persistence(record.StreamId, history));
        Events = NewChannel("events", reliable: true, options, epoch, time, metrics, replayAccount, Persistence(record.StreamId, history));
        _channels = [Audio, Video, Transcripts, Events];
        AudioConversions = new AudioConversions(Audio, () => NewChannel("audio", reliable: false, options, epoch, time, metrics, replayAccount), options, time, metrics);
        IndividualVideo = new IndividualVideo(time);
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

    /// <summary>Raised once, on the RTMS receive path, when the first media message of the session arrives here.</summary>
    public event Action? FirstMedia;

    public string StreamId => Record.StreamId;

    public string InstanceId => Record.InstanceId;

    public SessionChannel<EncodedMessage> Audio { get; }

    public SessionChannel<EncodedMessage> Video { get; }

    public SessionChannel<EncodedMessage> Transcripts { get; }

    public SessionChannel<EncodedMessage> Events { get; }

    /// <summary>The formats this session's audio is converted to (SubscribeAudioRequest.format).</summary>
    public AudioConversions AudioConversions { get; }

    /// <summary>Where a subscriber asking for <paramref name="format"/> reads audio (null: as Zoom sends it). Refusals are
    /// <see cref="SubscriptionRefusedException"/>s.</summary>
    public AudioSubscriptionSource OpenAudio(AudioFormatRequest? format)
    {
        if (format is null)
        {
            return new AudioSubscriptionSource(Audio, null);
        }
        AudioFormat? source;
        lock (_lock)
        {
            source = _info.Media.AudioFormat;
        }
        return AudioConversions.Open(format, source);
    }

    /// <summary>The participant whose individual video Zoom is asked for (video data_opt 4).</summary>
    public IndividualVideo IndividualVideo { get; }

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
                return _info.State == ApiSessionState.Stopped && _info.StopReason == ZoomStopReason.StreamRevoked;
            }
        }
    }

    public SessionInfo Snapshot()
    {
        lock (_lock)
        {
            var copy = _info.Clone();
            if (copy.Media.Video)
            {
                copy.Media.VideoFormat = Volatile.Read(ref _camera).Current;
            }
            copy.Reconnects = (uint)Volatile.Read(ref _reconnects);
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
                var audioFormat = ApiFormats.Audio(audio);
                Volatile.Write(ref _audioFormatBytes, audioFormat.ToByteArray());
                media.Audio = true;
                media.AudioFormat = audioFormat;
            }
            if (effective.Video is { } video)
            {
                var format = ApiFormats.Video(video.Codec, video.Resolution, video.Fps);
                Volatile.Write(ref _camera, new VideoFormatTracker(video.Codec, format));
                media.Video = true;
                media.VideoFormat = format;
            }
            if (effective.Deskshare is { } share)
            {
                Volatile.Write(ref _share, new VideoFormatTracker(share.Codec, ApiFormats.Video(share.Codec, share.Resolution, share.Fps)));
                media.ScreenShare = true;
            }
            media.Transcripts |= effective.Transcript is not null;
            media.Chat |= effective.Chat is not null;
        }
    }

    public void OnMedia(MediaDataMessage message)
    {
        var channel = message.MsgType switch
        {
            MessageType.MediaDataAudio => "audio",
            MessageType.MediaDataVideo or MessageType.MediaDataShare => "video",
            MessageType.MediaDataTranscript => "transcripts",
            _ => "events",
        };
        _metrics?.FrameIn(channel);
        // Read once per message: the Zoom latency and the audio frame's received_at share it.
        var receivedAt = _time.GetUtcNow();
        if (message.Timestamp > 0)
        {
            _metrics?.ZoomLatency(channel, receivedAt - DateTimeOffset.FromUnixTimeMilliseconds(message.Timestamp));
        }
        if (Volatile.Read(ref _firstMediaSeen) == 0 && Interlocked.Exchange(ref _firstMediaSeen, 1) == 0)
        {
            FirstMedia?.Invoke();
        }
        var userId = _userIds.Of(message.UserId);
        // Each response is encoded inside Publish, before this returns and the pooled payload goes back to its pool.
        switch (message.MsgType)
        {
            case MessageType.MediaDataAudio:
                // Written directly (no message tree): audio is most of the frames.
                Audio.Publish(userId, (Hub: this, Message: message, UserId: userId, ReceivedAt: receivedAt), static (sequence, s) =>
                    EncodedMessage.FromEncoded(Wire.AudioResponseEncoder.Encode(
                        new(sequence, s.Message.Timestamp, s.ReceivedAt, s.UserId, s.Message.UserName),
                        Volatile.Read(ref s.Hub._audioFormatBytes), s.Message.Payload.Span, s.Message.ChannelId ?? 0, s.Message.Channel)));
                break;
            case MessageType.MediaDataVideo:
            case MessageType.MediaDataShare:
                Video.Publish(userId, (Hub: this, Message: message, UserId: userId), static (sequence, s) =>
                {
                    var source = RtmsToApi.SourceOf(s.Message);
                    var tracker = Volatile.Read(ref source == VideoSource.ScreenShare ? ref s.Hub._share : ref s.Hub._camera);
                    var (format, keyFrame) = tracker.Next(s.Message.Payload.Span);
                    return EncodedMessage.Of(RtmsToApi.Video(s.Hub.Header(sequence, s.Message.Timestamp, s.UserId, s.Message.UserName), source, format, keyFrame, s.Message), tag: (int)source);
                });
                break;
            case MessageType.MediaDataTranscript:
                Transcripts.Publish(userId, (Hub: this, Message: message, UserId: userId), static (sequence, s) =>
                    EncodedMessage.Of(RtmsToApi.Transcript(s.Hub.Header(sequence, s.Message.Timestamp, s.UserId, s.Message.UserName), s.Message)));
                break;
            case MessageType.MediaDataChat:
                // A structured chat names its sender inside data; the header follows it when the content has no user.
                var sender = message.Chat?.Sender is { } structured && message.UserId.IsNone ? structured : null;
                var chatUser = sender is null ? userId : _userIds.Of(sender.UserId);
                PublishEvent(chatUser, message.Timestamp, sender?.UserName ?? message.UserName, RtmsToApi.Chat(chatUser, message, _userIds.Of));
                break;
        }
    }

    public void OnEvent(EventUpdate update)
    {
        _metrics?.FrameIn("events");
        var e = update.Event;
        PublishEvent(_userIds.Of(e.UserId), e.OccurredAt, e.UserName, RtmsToApi.Event(e, _userIds.Of, _contactCenter));
    }

    public void OnStreamState(StreamStateUpdate update) => PublishEvent("0", update.Timestamp, null, RtmsToApi.StreamState(update));

    public void OnSessionState(SessionStateUpdate update) => PublishEvent("0", update.Timestamp, null, RtmsToApi.SessionState(update));

    /// <summary>The gateway's own connection state changed: recorded and published as an event. False when it did not
    /// change (or the session stopped): nothing to announce.</summary>
    public bool SetUpstreamState(UpstreamState upstream, string detail)
    {
        var state = RtmsToApi.State(upstream);
        lock (_lock)
        {
            if (_info.State == ApiSessionState.Stopped || _info.State == state)
            {
                return false;
            }
            _info.State = state;
        }
        PublishEvent("0", 0, null, RtmsToApi.Upstream(state, detail));
        return true;
    }

    /// <summary>Tells event subscribers something about the upstream connection that leaves its state as it is (a media type
    /// given up, say): an <see cref="UpstreamStateChanged"/> with the current state and <paramref name="detail"/>.</summary>
    public void PublishUpstreamNotice(string detail)
    {
        ApiSessionState state;
        lock (_lock)
        {
            state = _info.State;
        }
        if (state != ApiSessionState.Stopped)
        {
            PublishEvent("0", 0, null, RtmsToApi.Upstream(state, detail));
        }
    }

    /// <summary>One more upstream reconnect (listed in <see cref="SessionInfo.Reconnects"/>).</summary>
    public void CountReconnect() => Interlocked.Increment(ref _reconnects);

    /// <summary>The stream is over: subscribers get <see cref="SessionEnded"/> after what is queued, and the call completes.
    /// False when it was over already.</summary>
    public bool Complete(StopReason reason, string description)
    {
        lock (_lock)
        {
            if (_info.State == ApiSessionState.Stopped)
            {
                return false;
            }
            _info.State = ApiSessionState.Stopped;
            _info.StopReason = (ZoomStopReason)(int)reason;
            _info.StoppedAt = Timestamp.FromDateTimeOffset(_time.GetUtcNow());
        }
        _metrics?.SessionEnded(_time.GetUtcNow() - Record.AcceptedAt);
        var ended = new SessionEnded { StopReason = (ZoomStopReason)(int)reason, Description = description };
        // STREAM_REVOKED: "assets must be deleted immediately" (§3.8): nothing of the stream stays replayable.
        var purge = reason == StopReason.StreamRevoked;
        foreach (var channel in _channels)
        {
            channel.Complete(ended, purge);
        }
        // The cluster's copy too: expires after the retention, or (revoked) is deleted now.
        _history?.Writer.Ended(StreamId, HistoryChannels, purge);
        return true;
    }

    /// <summary>The channels whose messages the cluster's history keeps.</summary>
    public static IReadOnlyList<string> HistoryChannels { get; } = ["transcripts", "events"];

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

    private MessageHeader Header(ulong sequence, long zoomTimestamp, string userId, string? userName) =>
        RtmsToApi.Header(sequence, _time.GetUtcNow(), zoomTimestamp, userId, userName);

    /// <summary>Drops replayable messages that aged out, on every channel.</summary>
    public void EvictExpired()
    {
        foreach (var channel in _channels)
        {
            channel.EvictExpired();
        }
        AudioConversions.Sweep();
    }

    /// <summary>The hub is forgotten: everything it retained leaves the replica's replay account.</summary>
    public void ReleaseReplay()
    {
        foreach (var channel in _channels)
        {
            channel.ClearReplay();
        }
        AudioConversions.RetireAll();
    }

    /// <summary>A media channel's share of the session's replay bytes: video frames are large, audio small.</summary>
    private static double ReplayShare(string channel) => channel == "video" ? 0.70 : 0.20;

    private static ChannelPersistence<EncodedMessage>? Persistence(string streamId, HistoryPersistence? history) =>
        history is null ? null : new(history.Writer, streamId, history.WriteWait, static m => m.Bytes);

    /// <summary>Audio and video keep a replay window (age, count, bytes); transcripts and events keep the session's whole
    /// life, bounded by bytes (half of the session's history budget each), both within the replica's budget.</summary>
    private static SessionChannel<EncodedMessage> NewChannel(
        string name, bool reliable, FanoutOptions options, ulong epoch, TimeProvider time, GatewayMetrics? metrics, ReplayAccount? account, ChannelPersistence<EncodedMessage>? persistence = null) =>
        new(reliable, reliable ? options.ReliableSubscriberQueue : options.MediaSubscriberQueue, options.MaxSubscribersPerSession,
            reliable
                ? ReplayLimits.WholeLife(options.HistoryMaxBytesPerSession / 2, account)
                : new ReplayLimits(options.ReplayCapacity, options.ReplayRetention, (long)(options.ReplayMaxBytesPerSession * ReplayShare(name)), account),
            epoch, time, name, metrics, static m => m.Bytes.Length, persistence);
}
