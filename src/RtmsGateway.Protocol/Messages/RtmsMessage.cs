using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>Any RTMS V1 message: a JSON object with an integer <c>msg_type</c>.</summary>
public abstract class RtmsMessage
{
    protected RtmsMessage(MessageType msgType) => MsgType = msgType;

    /// <summary>The wire <c>msg_type</c>.</summary>
    [JsonPropertyName("msg_type")]
    [JsonPropertyOrder(-1)]
    public MessageType MsgType { get; }

    /// <summary>Optional fields Zoom sent in a shape this reader does not know, each as <c>name (shape)</c>: skipped, the
    /// rest of the message kept (null when every field was read). For the receiver to log.</summary>
    [JsonIgnore]
    public IReadOnlyList<string>? UnreadFields { get; set; }
}
