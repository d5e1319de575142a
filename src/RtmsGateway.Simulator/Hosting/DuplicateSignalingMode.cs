namespace RtmsGateway.Simulator;

/// <summary>What a second signaling handshake for a live stream gets (sources disagree, §5.3).</summary>
public enum DuplicateSignalingMode
{
    /// <summary>Status 8 STATUS_DUPLICATE_SIGNAL_REQUEST, reason "duplicate signal request" (the samples).</summary>
    Reject,

    /// <summary>The new connection wins and the first is closed (Zoom's skills notes).</summary>
    KickOutFirst,
}
