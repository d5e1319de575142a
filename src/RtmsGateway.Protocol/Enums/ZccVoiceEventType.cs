namespace RtmsGateway.Protocol;

/// <summary>RTMS_ZCC_VOICE_EVENT_TYPE for Contact Center voice streams (§3.6).</summary>
/// <remarks>Open: values Zoom adds later are carried as their number and survive a round trip.</remarks>
public enum ZccVoiceEventType
{
    Undefined = 0,
    ConsumerAnswered = 8,
    ConsumerEnd = 9,
    UserAnswered = 10,
    UserEnd = 11,
    UserHold = 12,
    UserUnhold = 13,
    MonitorStarted = 14,
    MonitorTransitioned = 15,
    MonitorEnded = 16,
    TakeoverStarted = 17,
    TransferInitiated = 18,
    TransferCanceled = 19,
    TransferAccepted = 20,
    TransferCompleted = 21,
    TransferRejected = 22,
    TransferTimeout = 23,
    ConferenceCanceled = 24,
    ConferenceParticipantCanceled = 25,
    ConferenceParticipantInvited = 26,
    ConferenceParticipantRejected = 27,
    ConferenceParticipantTimeout = 28,
    ConferenceParticipantLeft = 29,
}
