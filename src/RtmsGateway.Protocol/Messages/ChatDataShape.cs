namespace RtmsGateway.Protocol;

/// <summary>How a chat message (msg_type 18) carried its <c>content.data</c>; Zoom's sources show each (§4.6).</summary>
public enum ChatDataShape
{
    /// <summary>Plain text: the message itself (DOC-ER's older chat text).</summary>
    Text,

    /// <summary>An object with the sender, receiver, chat session, operation, message id, files … (chat since July 2026).</summary>
    Object,

    /// <summary>A JSON string holding such an object.</summary>
    JsonString,
}
