namespace RtmsGateway.Protocol;

/// <summary>RTMS_MESSAGE_TYPE: the integer <c>msg_type</c> of every RTMS message (protocol reference §3.3).</summary>
/// <remarks>Open: values Zoom adds later are carried as their number and survive a round trip.</remarks>
public enum MessageType
{
    Undefined = 0,
    SignalingHandshakeRequest = 1,
    SignalingHandshakeResponse = 2,
    DataHandshakeRequest = 3,
    DataHandshakeResponse = 4,
    EventSubscription = 5,
    EventUpdate = 6,
    ClientReadyAck = 7,
    StreamStateUpdate = 8,
    SessionStateUpdate = 9,
    SessionStateRequest = 10,
    SessionStateResponse = 11,
    KeepAliveRequest = 12,
    KeepAliveResponse = 13,
    MediaDataAudio = 14,
    MediaDataVideo = 15,
    MediaDataShare = 16,
    MediaDataTranscript = 17,
    MediaDataChat = 18,
    StreamStateRequest = 19,
    StreamStateResponse = 20,
    StreamCloseRequest = 21,
    StreamCloseResponse = 22,
    MetaDataAudio = 23,
    MetaDataVideo = 24,
    MetaDataShare = 25,
    MetaDataTranscript = 26,
    MetaDataChat = 27,
    VideoSubscriptionRequest = 28,
    VideoSubscriptionResponse = 29,
}
