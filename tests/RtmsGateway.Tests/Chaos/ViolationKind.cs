namespace RtmsGateway.Tests.Chaos;

/// <summary>Every way the chaos run can catch the gateway breaking its promise. Each is counted with details.</summary>
internal enum ViolationKind
{
    // No input or fault makes a replica exit.
    ReplicaExited,
    ReplicaDidNotStart,
    DrainTimedOut,

    // Exactly one replica talks to Zoom per stream.
    DuplicateSignaling,
    TwoLiveSignalingConnections,

    // Per channel: sequences strictly increase; every hole is announced by exactly one exact Gap.
    DuplicateMessage,
    OutOfOrderMessage,
    UnannouncedHole,
    DuplicateGap,
    OverlappingGap,
    ExtraGap,
    GapRangeWrong,
    GapWithoutHole,
    GapReasonWrong,
    GapCountWrong,
    UnknownResponse,

    // How calls end.
    MessageAfterSessionEnded,
    SessionEndedForLiveMeeting,
    CompletedWithoutSessionEnded,
    CallCancelled,
    CallUnknown,
    CallInternal,
    CallUnavailableWithoutTrailer,
    CallNotFoundForLiveMeeting,
    CallResourceExhaustedOnMedia,
    CallResourceExhaustedWithoutTrailer,
    CallOtherStatus,
    TrailerAheadOfDelivered,
    TrailerBehindDelivered,
    StoppedMeetingCallNotEnded,

    // Media keeps flowing; nothing (no session) is lost.
    MediaStalled,
    MediaStoppedDuringOutage,
    SlowSubscriberStalledOthers,
    SlowSubscriberNotCutOff,
    SessionNotListed,
    SessionNotStreaming,
    OwnersDisagree,
    OwnerNotLive,
    ZoomStreamNotConnected,
    StoppedSessionStillListed,
}
