namespace RtmsGateway.Protocol;

/// <summary>A frame or body that breaks the RTMS protocol. <see cref="Error"/> says how; the message says where.</summary>
public sealed class RtmsProtocolException : Exception
{
    public RtmsProtocolException(RtmsProtocolError error, string message, Exception? inner = null)
        : base(message, inner) => Error = error;

    public RtmsProtocolError Error { get; }

    /// <summary>The frame's <c>msg_type</c> when it was read before the frame failed (null: unknown), so a caller waiting
    /// for one message can tell that message arriving broken from unrelated noise.</summary>
    public MessageType? MessageType { get; init; }
}
