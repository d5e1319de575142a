namespace RtmsGateway.Simulator;

/// <summary>Where a simulated stream is in its life.</summary>
public enum MeetingState
{
    /// <summary>Registered; no webhook sent yet.</summary>
    Created,

    /// <summary><c>rtms_started</c> sent; waiting for the client (audio is being buffered).</summary>
    Started,

    /// <summary>Signaling and at least one media socket are ready; media flows.</summary>
    Streaming,

    /// <summary>A connection was lost; waiting for the client to reconnect.</summary>
    Interrupted,

    /// <summary>Paused by the host: state updates sent, no media until resumed.</summary>
    Paused,

    /// <summary>Ended (<c>rtms_stopped</c> sent); handshakes are refused.</summary>
    Stopped,
}
