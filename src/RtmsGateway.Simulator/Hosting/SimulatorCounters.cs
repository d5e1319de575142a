namespace RtmsGateway.Simulator;

/// <summary>Totals over every meeting of a simulator (thread-safe reads).</summary>
public sealed class SimulatorCounters
{
    private long _signalingHandshakes;
    private long _duplicates;
    private long _handshakeFailures;
    private long _liveSignaling;
    private long _maxLiveSignaling;
    private long _liveMedia;
    private long _audio;
    private long _video;
    private long _share;
    private long _transcripts;
    private long _events;
    private long _keepAliveTimeouts;
    private long _dropped;
    private long _webhooks;
    private long _webhookFailures;
    private long _slowTicks;

    /// <summary>Signaling handshake requests received for known streams (accepted or not).</summary>
    public long SignalingHandshakes => Interlocked.Read(ref _signalingHandshakes);

    /// <summary>Signaling handshakes that arrived while their stream already had a live signaling connection: two clients
    /// talking to Zoom for one stream. A correct gateway cluster keeps this at 0.</summary>
    public long DuplicateSignalingFlagged => Interlocked.Read(ref _duplicates);

    /// <summary>Handshakes refused (bad signature, unknown stream, bad payload or media parameters, duplicates).</summary>
    public long HandshakeFailures => Interlocked.Read(ref _handshakeFailures);

    public long LiveSignalingConnections => Interlocked.Read(ref _liveSignaling);

    /// <summary>The most signaling connections live at the same moment over all meetings (per meeting:
    /// <see cref="MeetingCounters.MaxLiveSignalingConnections"/>).</summary>
    public long MaxLiveSignalingConnections => Interlocked.Read(ref _maxLiveSignaling);

    public long LiveMediaConnections => Interlocked.Read(ref _liveMedia);

    public long AudioFramesSent => Interlocked.Read(ref _audio);

    public long VideoFramesSent => Interlocked.Read(ref _video);

    public long ShareFramesSent => Interlocked.Read(ref _share);

    public long TranscriptsSent => Interlocked.Read(ref _transcripts);

    public long EventsSent => Interlocked.Read(ref _events);

    /// <summary>Sockets dropped for leaving <see cref="SimulatorOptions.MaxMissedKeepAlives"/> pings unanswered.</summary>
    public long KeepAliveTimeouts => Interlocked.Read(ref _keepAliveTimeouts);

    /// <summary>Media frames not sent because a client's queue was full.</summary>
    public long FramesDropped => Interlocked.Read(ref _dropped);

    /// <summary>Webhooks posted (any answer).</summary>
    public long WebhooksSent => Interlocked.Read(ref _webhooks);

    /// <summary>Webhooks that got no HTTP answer or a non-2xx one.</summary>
    public long WebhookFailures => Interlocked.Read(ref _webhookFailures);

    /// <summary>Pacing ticks that took longer than <see cref="SimulatorOptions.PacingInterval"/> (the simulator is overloaded).</summary>
    public long SlowTicks => Interlocked.Read(ref _slowTicks);

    internal void SignalingHandshake() => Interlocked.Increment(ref _signalingHandshakes);

    internal void Duplicate() => Interlocked.Increment(ref _duplicates);

    internal void HandshakeFailure() => Interlocked.Increment(ref _handshakeFailures);

    internal void LiveSignaling(int delta) => HighWaterMark.Raise(ref _maxLiveSignaling, Interlocked.Add(ref _liveSignaling, delta));

    internal void LiveMedia(int delta) => Interlocked.Add(ref _liveMedia, delta);

    internal void Audio() => Interlocked.Increment(ref _audio);

    internal void Video() => Interlocked.Increment(ref _video);

    internal void Share() => Interlocked.Increment(ref _share);

    internal void Transcript() => Interlocked.Increment(ref _transcripts);

    internal void Event() => Interlocked.Increment(ref _events);

    internal void KeepAliveTimeout() => Interlocked.Increment(ref _keepAliveTimeouts);

    internal void Dropped() => Interlocked.Increment(ref _dropped);

    internal void SlowTick() => Interlocked.Increment(ref _slowTicks);

    internal void Webhook(bool delivered)
    {
        Interlocked.Increment(ref _webhooks);
        if (!delivered)
        {
            Interlocked.Increment(ref _webhookFailures);
        }
    }

    public override string ToString() =>
        $"signaling handshakes {SignalingHandshakes} (duplicates {DuplicateSignalingFlagged}, refused handshakes {HandshakeFailures}); " +
        $"sent audio {AudioFramesSent}, video {VideoFramesSent}, share {ShareFramesSent}, transcripts {TranscriptsSent}, events {EventsSent}; " +
        $"dropped {FramesDropped}; keep-alive timeouts {KeepAliveTimeouts}; webhooks {WebhooksSent} ({WebhookFailures} failed)";
}
