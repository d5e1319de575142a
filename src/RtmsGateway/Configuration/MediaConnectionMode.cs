namespace RtmsGateway.Configuration;

/// <summary>How media sockets are opened (§4.5).</summary>
public enum MediaConnectionMode
{
    /// <summary>One socket carrying every requested media type.</summary>
    Unified,

    /// <summary>One socket per media type, each with its own handshake, ACK and reconnect.</summary>
    Split,
}
