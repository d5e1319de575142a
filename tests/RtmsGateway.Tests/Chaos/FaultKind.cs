namespace RtmsGateway.Tests.Chaos;

/// <summary>The faults a chaos schedule draws from.</summary>
internal enum FaultKind
{
    /// <summary>SIGKILL of a replica that owns a session (a node failure).</summary>
    KillOwner,

    /// <summary>SIGTERM of a replica that owns a session (a rolling update): it must drain.</summary>
    TerminateOwner,

    /// <summary>SIGTERM of a replica that relays a session it does not own to subscribers.</summary>
    TerminateRelay,

    /// <summary>Redis unreachable for every replica for a while (all proxies blackholed or refusing).</summary>
    RedisOutage,

    /// <summary>Redis crashes and comes back empty (no persistence).</summary>
    RedisRestartEmpty,

    /// <summary>One replica (an owner, or not) cannot reach Redis while the others can.</summary>
    Partition,

    /// <summary>Zoom drops a stream's signaling socket (media drops with it; rtms_interrupted follows).</summary>
    SignalingDrop,

    /// <summary>Zoom drops a stream's media socket.</summary>
    MediaDrop,

    /// <summary>Zoom ends a stream, rtms_stopped webhook first; a new meeting starts to keep the count.</summary>
    StopWebhookFirst,

    /// <summary>Zoom ends a stream, TERMINATED on signaling first; a new meeting starts to keep the count.</summary>
    StopSignalingFirst,

    /// <summary>A subscriber reads far slower than media arrives, on audio and on transcripts.</summary>
    SlowSubscriber,
}
