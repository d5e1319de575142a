namespace RtmsGateway.Protocol;

/// <summary>TRANSMISSION_PROTOCOL (§4.3); only WebSocket exists in V1.</summary>
/// <remarks>Open: values Zoom adds later are carried as their number and survive a round trip.</remarks>
public enum TransmissionProtocol
{
    Undefined = 0,
    WebSocket = 1,
    Rtmp = 2,
    Udp = 3,
    WebRtc = 4,
}
