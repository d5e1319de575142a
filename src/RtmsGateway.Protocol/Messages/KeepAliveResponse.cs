using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 13, app→Zoom: the answer to a keep-alive, with the identical timestamp (§3.4).</summary>
public sealed class KeepAliveResponse : RtmsMessage
{
    public KeepAliveResponse() : base(MessageType.KeepAliveResponse) { }

    [JsonPropertyName("timestamp")]
    public long Timestamp { get; set; }
}
