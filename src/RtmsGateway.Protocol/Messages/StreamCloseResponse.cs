using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 22, signaling→app: the answer to a close request (§3.4).</summary>
public sealed class StreamCloseResponse : RtmsMessage
{
    public StreamCloseResponse() : base(MessageType.StreamCloseResponse) { }

    [JsonPropertyName("rtms_stream_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RtmsStreamId { get; set; }

    [JsonPropertyName("status_code")]
    [JsonRequired]
    public StatusCode StatusCode { get; set; }

    [JsonPropertyName("reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; set; }

    [JsonPropertyName("timestamp")]
    public long Timestamp { get; set; }
}
