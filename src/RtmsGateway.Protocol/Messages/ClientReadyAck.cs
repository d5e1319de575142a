using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 7, app→signaling: sent after each successful data handshake; no media flows before it (§3.4).</summary>
public sealed class ClientReadyAck : RtmsMessage
{
    public ClientReadyAck() : base(MessageType.ClientReadyAck) { }

    [JsonPropertyName("rtms_stream_id")]
    public required string RtmsStreamId { get; set; }
}
