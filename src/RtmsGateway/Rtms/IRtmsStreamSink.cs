using RtmsGateway.Protocol;

namespace RtmsGateway.Rtms;

/// <summary>
/// Receives what a stream's RTMS connections read from Zoom. Called on the socket receive loops: implementations must
/// return quickly and never wait on consumers.
/// </summary>
internal interface IRtmsStreamSink
{
    void OnMediaNegotiated(MediaDataType mediaType, MediaParams effective);

    void OnMedia(MediaDataMessage message);

    void OnEvent(EventUpdate update);

    void OnStreamState(StreamStateUpdate update);

    void OnSessionState(SessionStateUpdate update);
}
