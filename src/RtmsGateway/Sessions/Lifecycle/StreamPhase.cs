namespace RtmsGateway.Sessions.Lifecycle;

/// <summary>Where a stream's lifecycle is.</summary>
internal enum StreamPhase
{
    /// <summary>Not started.</summary>
    Idle = 0,

    /// <summary>Dialling signaling; the handshake is in flight.</summary>
    Dialling = 1,

    /// <summary>Signaling is open; media sockets open, stream, reopen.</summary>
    Live = 2,

    /// <summary>Waiting out the backoff before dialling again.</summary>
    AwaitingRedial = 3,

    /// <summary>Ready to dial, but the lease was not confirmed within its TTL (Redis unreachable): dialling now could make
    /// a second replica talk to Zoom for this stream, so wait for the next confirmation.</summary>
    AwaitingLease = 4,

    /// <summary>Zoom is ending the stream (TERMINATED or <c>rtms_stopped</c>): signaling is read a little longer for its last
    /// updates; nothing is reopened.</summary>
    Stopping = 5,

    /// <summary>Decided; see <see cref="StreamStateMachine.Ending"/>.</summary>
    Ended = 6,
}
