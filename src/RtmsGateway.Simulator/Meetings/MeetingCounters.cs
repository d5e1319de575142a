namespace RtmsGateway.Simulator;

/// <summary>What happened in one simulated meeting, live (thread-safe reads).</summary>
public sealed class MeetingCounters
{
    private long _signalingHandshakes;
    private long _liveSignaling;
    private long _duplicatesFlagged;
    private long _mediaHandshakes;
    private long _liveMedia;
    private long _clientReadyAcks;
    private long _audio;
    private long _video;
    private long _share;
    private long _transcripts;
    private long _events;
    private long _keepAlivesSent;
    private long _keepAlivesAnswered;
    private long _keepAlivesMissed;
    private long _keepAliveDrops;
    private long _webhooks;
    private long _dropped;

    /// <summary>Signaling handshake requests received (accepted or not).</summary>
    public long SignalingHandshakes => Interlocked.Read(ref _signalingHandshakes);

    public long LiveSignalingConnections => Interlocked.Read(ref _liveSignaling);

    /// <summary>Handshakes that arrived while another signaling connection of the stream was live.</summary>
    public long DuplicatesFlagged => Interlocked.Read(ref _duplicatesFlagged);

    /// <summary>Data handshake requests received.</summary>
    public long MediaHandshakes => Interlocked.Read(ref _mediaHandshakes);

    public long LiveMediaConnections => Interlocked.Read(ref _liveMedia);

    public long ClientReadyAcks => Interlocked.Read(ref _clientReadyAcks);

    public long AudioFramesSent => Interlocked.Read(ref _audio);

    public long VideoFramesSent => Interlocked.Read(ref _video);

    public long ShareFramesSent => Interlocked.Read(ref _share);

    public long TranscriptsSent => Interlocked.Read(ref _transcripts);

    public long EventsSent => Interlocked.Read(ref _events);

    public long KeepAlivesSent => Interlocked.Read(ref _keepAlivesSent);

    public long KeepAlivesAnswered => Interlocked.Read(ref _keepAlivesAnswered);

    /// <summary>Pings still unanswered when the next one was due.</summary>
    public long KeepAlivesMissed => Interlocked.Read(ref _keepAlivesMissed);

    /// <summary>Sockets dropped for missing three pings.</summary>
    public long KeepAliveDrops => Interlocked.Read(ref _keepAliveDrops);

    public long WebhooksSent => Interlocked.Read(ref _webhooks);

    /// <summary>Media messages not sent because a client's socket queue was full.</summary>
    public long FramesDropped => Interlocked.Read(ref _dropped);

    internal void SignalingHandshake() => Interlocked.Increment(ref _signalingHandshakes);

    internal void LiveSignaling(int delta) => Interlocked.Add(ref _liveSignaling, delta);

    internal void Duplicate() => Interlocked.Increment(ref _duplicatesFlagged);

    internal void MediaHandshake() => Interlocked.Increment(ref _mediaHandshakes);

    internal void LiveMedia(int delta) => Interlocked.Add(ref _liveMedia, delta);

    internal void ClientReadyAck() => Interlocked.Increment(ref _clientReadyAcks);

    internal void Audio() => Interlocked.Increment(ref _audio);

    internal void Video() => Interlocked.Increment(ref _video);

    internal void Share() => Interlocked.Increment(ref _share);

    internal void Transcript() => Interlocked.Increment(ref _transcripts);

    internal void Event() => Interlocked.Increment(ref _events);

    internal void KeepAliveSent() => Interlocked.Increment(ref _keepAlivesSent);

    internal void KeepAliveAnswered() => Interlocked.Increment(ref _keepAlivesAnswered);

    internal void KeepAliveMissed() => Interlocked.Increment(ref _keepAlivesMissed);

    internal void KeepAliveDrop() => Interlocked.Increment(ref _keepAliveDrops);

    internal void Webhook() => Interlocked.Increment(ref _webhooks);

    internal void Dropped() => Interlocked.Increment(ref _dropped);
}
