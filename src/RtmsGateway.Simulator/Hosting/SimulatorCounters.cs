namespace RtmsGateway.Simulator;

/// <summary>Totals over every meeting of a simulator.</summary>
public sealed class SimulatorCounters(Func<IEnumerable<SimulatedMeeting>> meetings)
{
    private long _handshakeFailures;

    public long SignalingHandshakes => meetings().Sum(m => m.Counters.SignalingHandshakes);

    /// <summary>Signaling handshakes that arrived while the stream already had a live signaling connection: two clients
    /// talking to Zoom for one stream. A correct gateway cluster keeps this at 0.</summary>
    public long DuplicateSignalingFlagged => meetings().Sum(m => m.Counters.DuplicatesFlagged);

    /// <summary>Handshakes refused for a bad signature, unknown stream, bad payload or media parameters.</summary>
    public long HandshakeFailures => Interlocked.Read(ref _handshakeFailures);

    public long AudioFramesSent => meetings().Sum(m => m.Counters.AudioFramesSent);

    public long VideoFramesSent => meetings().Sum(m => m.Counters.VideoFramesSent);

    public long TranscriptsSent => meetings().Sum(m => m.Counters.TranscriptsSent);

    public long KeepAliveDrops => meetings().Sum(m => m.Counters.KeepAliveDrops);

    public long FramesDropped => meetings().Sum(m => m.Counters.FramesDropped);

    internal void HandshakeFailure() => Interlocked.Increment(ref _handshakeFailures);
}
