namespace RtmsGateway.Rtms;

/// <summary>The gateway's own connection to Zoom for one stream, as the stream's lifecycle decides it.</summary>
internal enum UpstreamState
{
    /// <summary>Dialling Zoom; no signaling handshake accepted yet.</summary>
    Connecting = 1,

    /// <summary>Every usable media socket finished its handshake.</summary>
    Streaming = 2,

    /// <summary>Zoom paused the stream (host or participant).</summary>
    Paused = 3,

    /// <summary>A connection was lost; reconnecting. Media produced meanwhile may be lost.</summary>
    Reconnecting = 4,
}
