using RtmsGateway.Protocol;
using RtmsGateway.Rtms;

namespace RtmsGateway.Sessions.Lifecycle;

/// <summary>
/// Everything that can change a stream's fate, posted to its <see cref="StreamSession"/> and decided one at a time by its
/// <see cref="StreamStateMachine"/>. Connection events carry the signaling attempt (and media link generation) they are
/// about, so news from a connection already replaced is ignored.
/// </summary>
internal abstract record StreamEvent
{
    /// <summary>Zoom accepted the signaling handshake; <paramref name="Links"/> are the media sockets to open.</summary>
    public sealed record SignalingOpened(int Attempt, IReadOnlyList<MediaLinkPlan> Links) : StreamEvent;

    /// <summary>Dialling or the signaling handshake failed (a refusal is an <see cref="RtmsHandshakeException"/>).</summary>
    public sealed record SignalingFailed(int Attempt, Exception Error) : StreamEvent;

    /// <summary>The open signaling connection ended (closed by Zoom, dropped, silent, or its loop failed).</summary>
    public sealed record SignalingEnded(int Attempt, string Reason) : StreamEvent;

    /// <summary>A STREAM_STATE_UPDATE arrived on signaling.</summary>
    public sealed record StreamStateReported(int Attempt, RtmsStreamState State, StopReason? Reason) : StreamEvent;

    /// <summary>EVENT_UPDATE MEDIA_CONNECTION_INTERRUPTED (event 7) arrived on signaling.</summary>
    public sealed record MediaInterruptionReported(int Attempt) : StreamEvent;

    public sealed record MediaOpened(int Attempt, int Link, int Generation) : StreamEvent;

    /// <summary>Dialling or the data handshake of a media socket failed.</summary>
    public sealed record MediaFailed(int Attempt, int Link, int Generation, Exception Error) : StreamEvent;

    public sealed record MediaEnded(int Attempt, int Link, int Generation, string Reason) : StreamEvent;

    /// <summary>An <c>rtms_stopped</c> webhook (here or forwarded from another replica).</summary>
    public sealed record StopRequested(StopReason Reason) : StreamEvent;

    /// <summary>An <c>rtms_interrupted</c> webhook; <paramref name="EventTimestampMs"/> is its <c>event_ts</c> (0 = unknown).</summary>
    public sealed record ReconnectRequested(long EventTimestampMs) : StreamEvent;

    /// <summary>A repeated <c>rtms_started</c> naming a new signaling server (Zoom failed over); <paramref name="EventTimestampMs"/>
    /// is its <c>event_ts</c> (0 = unknown).</summary>
    public sealed record Redirected(Uri SignalingUrl, long EventTimestampMs = 0) : StreamEvent;

    /// <summary>A KEEP_ALIVE_REQ on signaling carried Zoom's clock, <paramref name="ZoomMs"/>, received at
    /// <paramref name="LocalMs"/> (this replica's clock, epoch ms): how far apart the two clocks are.</summary>
    public sealed record ZoomClockSampled(int Attempt, long ZoomMs, long LocalMs) : StreamEvent;

    public sealed record TimerElapsed(StreamTimer Timer, int Generation) : StreamEvent;

    /// <summary>The lease was renewed by a call that began at <paramref name="At"/> (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public sealed record LeaseConfirmed(long At) : StreamEvent;

    /// <summary>The store refused a renewal: another replica owns the stream now.</summary>
    public sealed record LeaseLost : StreamEvent;

    /// <summary>This replica shuts down: hand the stream over.</summary>
    public sealed record DrainRequested : StreamEvent;
}
