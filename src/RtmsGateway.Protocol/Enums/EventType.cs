namespace RtmsGateway.Protocol;

/// <summary>RTMS_EVENT_TYPE for meetings, webinars and Video SDK sessions (§3.6). Contact Center uses <see cref="ZccVoiceEventType"/>; values 8–14 overlap.</summary>
/// <remarks>Open: values Zoom adds later are carried as their number and survive a round trip.</remarks>
public enum EventType
{
    Undefined = 0,
    FirstPacketTimestamp = 1,
    ActiveSpeakerChange = 2,
    ParticipantJoin = 3,
    ParticipantLeave = 4,
    SharingStart = 5,
    SharingStop = 6,
    MediaConnectionInterrupted = 7,
    ParticipantVideoOn = 8,
    ParticipantVideoOff = 9,
    ChatGroupCreate = 10,
    ChatGroupDelete = 11,
    ChatGroupMembersAdd = 12,
    ChatGroupMembersDelete = 13,
    ChatGroupMemberStatusUpdate = 14,
}
