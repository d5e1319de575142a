using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 12, Zoom→app on either socket: answer with <see cref="KeepAliveResponse"/> on the same socket, echoing the timestamp (§3.4).</summary>
public sealed class KeepAliveRequest : RtmsMessage
{
    public KeepAliveRequest() : base(MessageType.KeepAliveRequest) { }

    [JsonPropertyName("timestamp")]
    public long Timestamp { get; set; }
}
