using RtmsGateway.Api.V1;
using RtmsGateway.Protocol;

namespace RtmsGateway.Rtms;

/// <summary>
/// Receives what an <see cref="RtmsStreamClient"/> reads from Zoom. Called on the socket receive loops: implementations
/// must return quickly and never wait on consumers.
/// </summary>
internal interface IRtmsStreamSink
{
    void OnMediaNegotiated(MediaDataType mediaType, MediaParams effective);

    void OnMedia(MediaDataMessage message);

    void OnEvent(EventUpdate update);

    void OnStreamState(StreamStateUpdate update);

    void OnSessionState(SessionStateUpdate update);

    /// <summary>The gateway's own connection state changed (connecting, streaming, paused, reconnecting).</summary>
    void OnUpstreamState(SessionState state, string detail);
}
