namespace RtmsGateway.Simulator;

/// <summary>What happened in one simulated meeting, live (thread-safe reads). Also feeds the simulator's totals.</summary>
public sealed class MeetingCounters
{
    private readonly SimulatorCounters _totals;
    private long _signalingHandshakes;
    private long _signalingRefused;
    private long _liveSignaling;
    private long _maxLiveSignaling;
    private long _duplicatesFlagged;
    private long _mediaHandshakes;
    private long _mediaRefused;
    private long _liveMedia;
    private long _clientReadyAcks;
    private long _audio;
    private long _audioReplayed;
    private long _lastAudioTimestamp;
    private long _video;
    private long _share;
    private long _transcripts;
    private long _chats;
    private long _events;
    private long _stateUpdates;
    private long _keepAlivesSent;
    private long _keepAlivesAnswered;
    private long _keepAlivesMissed;
    private long _keepAliveTimeouts;
    private long _webhooks;
    private long _redeliveries;
    private long _redeliveriesAcknowledged;
    private long _redeliveriesPending;
    private long _dropped;
    private long _overflows;
    private long _fragmented;
    private long _clientErrors;
    private long _interruptions;

    internal MeetingCounters(SimulatorCounters totals) => _totals = totals;

    /// <summary>Signaling handshake requests received for this stream (accepted or not).</summary>
    public long SignalingHandshakes => Interlocked.Read(ref _signalingHandshakes);

    /// <summary>Signaling handshakes answered with a non-zero status.</summary>
    public long SignalingRefused => Interlocked.Read(ref _signalingRefused);

    public long LiveSignalingConnections => Interlocked.Read(ref _liveSignaling);

    /// <summary>The most signaling connections of this stream that were live (handshake accepted, not yet lost or closed)
    /// at the same moment: the one-client-per-stream invariant says 1.</summary>
    public long MaxLiveSignalingConnections => Interlocked.Read(ref _maxLiveSignaling);

    /// <summary>Signaling handshakes that arrived while another signaling connection of the stream was live.</summary>
    public long DuplicatesFlagged => Interlocked.Read(ref _duplicatesFlagged);

    /// <summary>Data handshake requests received for this stream (accepted or not).</summary>
    public long MediaHandshakes => Interlocked.Read(ref _mediaHandshakes);

    public long MediaRefused => Interlocked.Read(ref _mediaRefused);

    public long LiveMediaConnections => Interlocked.Read(ref _liveMedia);

    /// <summary>CLIENT_READY_ACKs that readied a media socket.</summary>
    public long ClientReadyAcks => Interlocked.Read(ref _clientReadyAcks);

    /// <summary>Audio packets sent (one per speaker in per-speaker mode), buffered ones included.</summary>
    public long AudioFramesSent => Interlocked.Read(ref _audio);

    /// <summary>Audio packets delivered from the buffer (produced while no client was connected).</summary>
    public long AudioFramesReplayed => Interlocked.Read(ref _audioReplayed);

    /// <summary>Zoom timestamp (epoch ms) of the newest audio packet sent; 0 before the first.</summary>
    public long LastAudioTimestamp => Interlocked.Read(ref _lastAudioTimestamp);

    public long VideoFramesSent => Interlocked.Read(ref _video);

    public long ShareFramesSent => Interlocked.Read(ref _share);

    public long TranscriptsSent => Interlocked.Read(ref _transcripts);

    /// <summary>Chat messages (msg_type 18) sent.</summary>
    public long ChatMessagesSent => Interlocked.Read(ref _chats);

    /// <summary>EVENT_UPDATEs sent (msg_type 6).</summary>
    public long EventsSent => Interlocked.Read(ref _events);

    /// <summary>STREAM_STATE_UPDATEs and SESSION_STATE_UPDATEs sent (msg_type 8 and 9).</summary>
    public long StateUpdatesSent => Interlocked.Read(ref _stateUpdates);

    public long KeepAlivesSent => Interlocked.Read(ref _keepAlivesSent);

    public long KeepAlivesAnswered => Interlocked.Read(ref _keepAlivesAnswered);

    /// <summary>Pings still unanswered when the next one was due.</summary>
    public long KeepAlivesMissed => Interlocked.Read(ref _keepAlivesMissed);

    /// <summary>Sockets dropped for missing <see cref="SimulatorOptions.MaxMissedKeepAlives"/> pings.</summary>
    public long KeepAliveTimeouts => Interlocked.Read(ref _keepAliveTimeouts);

    /// <summary>Webhooks posted for this stream (first attempts).</summary>
    public long WebhooksSent => Interlocked.Read(ref _webhooks);

    /// <summary>Redelivery attempts of failed webhooks (<see cref="SimulatorOptions.WebhookRedeliveryDelays"/>).</summary>
    public long WebhookRedeliveries => Interlocked.Read(ref _redeliveries);

    /// <summary>Redeliveries the receiver acknowledged (2xx in time).</summary>
    public long WebhookRedeliveriesAcknowledged => Interlocked.Read(ref _redeliveriesAcknowledged);

    /// <summary>Failed webhooks whose redelivery schedule is still running.</summary>
    public long WebhookRedeliveriesPending => Interlocked.Read(ref _redeliveriesPending);

    /// <summary>Media frames not sent because the client's queue was full.</summary>
    public long FramesDropped => Interlocked.Read(ref _dropped);

    /// <summary>Connections cut because even control messages no longer fit their queue.</summary>
    public long QueueOverflows => Interlocked.Read(ref _overflows);

    /// <summary>Messages sent split over several WebSocket frames (fault injection).</summary>
    public long FragmentedMessages => Interlocked.Read(ref _fragmented);

    /// <summary>Client messages after a handshake that could not be parsed (ignored, as Zoom does).</summary>
    public long ClientMessagesRejected => Interlocked.Read(ref _clientErrors);

    /// <summary>Signaling or media connections lost while the stream was live.</summary>
    public long Interruptions => Interlocked.Read(ref _interruptions);

    internal void SignalingHandshake()
    {
        Interlocked.Increment(ref _signalingHandshakes);
        _totals.SignalingHandshake();
    }

    internal void SignalingRefusedOne() => Interlocked.Increment(ref _signalingRefused);

    internal void LiveSignaling(int delta)
    {
        HighWaterMark.Raise(ref _maxLiveSignaling, Interlocked.Add(ref _liveSignaling, delta));
        _totals.LiveSignaling(delta);
    }

    internal void Duplicate()
    {
        Interlocked.Increment(ref _duplicatesFlagged);
        _totals.Duplicate();
    }

    internal void MediaHandshake() => Interlocked.Increment(ref _mediaHandshakes);

    internal void MediaRefusedOne() => Interlocked.Increment(ref _mediaRefused);

    internal void LiveMedia(int delta)
    {
        Interlocked.Add(ref _liveMedia, delta);
        _totals.LiveMedia(delta);
    }

    internal void ClientReadyAck() => Interlocked.Increment(ref _clientReadyAcks);

    internal void Audio(long timestamp, bool replayed)
    {
        Interlocked.Increment(ref _audio);
        if (replayed)
        {
            Interlocked.Increment(ref _audioReplayed);
        }
        Interlocked.Exchange(ref _lastAudioTimestamp, timestamp);
        _totals.Audio();
    }

    internal void Video()
    {
        Interlocked.Increment(ref _video);
        _totals.Video();
    }

    internal void Share()
    {
        Interlocked.Increment(ref _share);
        _totals.Share();
    }

    internal void Transcript()
    {
        Interlocked.Increment(ref _transcripts);
        _totals.Transcript();
    }

    internal void Chat() => Interlocked.Increment(ref _chats);

    internal void Event()
    {
        Interlocked.Increment(ref _events);
        _totals.Event();
    }

    internal void StateUpdate() => Interlocked.Increment(ref _stateUpdates);

    internal void KeepAliveSent() => Interlocked.Increment(ref _keepAlivesSent);

    internal void KeepAliveAnswered() => Interlocked.Increment(ref _keepAlivesAnswered);

    internal void KeepAliveMissed() => Interlocked.Increment(ref _keepAlivesMissed);

    internal void KeepAliveTimeout()
    {
        Interlocked.Increment(ref _keepAliveTimeouts);
        _totals.KeepAliveTimeout();
    }

    internal void Redelivered(bool acknowledged)
    {
        Interlocked.Increment(ref _redeliveries);
        if (acknowledged)
        {
            Interlocked.Increment(ref _redeliveriesAcknowledged);
        }
    }

    internal void RedeliveryPending(int delta) => Interlocked.Add(ref _redeliveriesPending, delta);

    internal void Webhook(bool delivered)
    {
        Interlocked.Increment(ref _webhooks);
        _totals.Webhook(delivered);
    }

    internal void Dropped()
    {
        Interlocked.Increment(ref _dropped);
        _totals.Dropped();
    }

    internal void QueueOverflow() => Interlocked.Increment(ref _overflows);

    internal void Fragmented() => Interlocked.Increment(ref _fragmented);

    internal void ClientError() => Interlocked.Increment(ref _clientErrors);

    internal void Interruption() => Interlocked.Increment(ref _interruptions);

    public override string ToString() =>
        $"signaling {SignalingHandshakes} handshakes ({LiveSignalingConnections} live, at most {MaxLiveSignalingConnections} at once, {DuplicatesFlagged} duplicates), media {MediaHandshakes} handshakes ({LiveMediaConnections} live, {ClientReadyAcks} acks); " +
        $"audio {AudioFramesSent} ({AudioFramesReplayed} replayed), video {VideoFramesSent}, share {ShareFramesSent}, transcripts {TranscriptsSent}, events {EventsSent}; " +
        $"keep-alives {KeepAlivesSent} sent / {KeepAlivesAnswered} answered / {KeepAlivesMissed} missed / {KeepAliveTimeouts} timeouts; dropped {FramesDropped}; webhooks {WebhooksSent}";
}
