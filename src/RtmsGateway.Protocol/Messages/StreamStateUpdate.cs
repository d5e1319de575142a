using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 8, signaling→app: the stream changed state (§3.4).</summary>
public sealed class StreamStateUpdate : RtmsMessage
{
    public StreamStateUpdate() : base(MessageType.StreamStateUpdate) { }

    [JsonPropertyName("rtms_stream_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RtmsStreamId { get; set; }

    [JsonPropertyName("state")]
    [JsonRequired]
    public RtmsStreamState State { get; set; }

    /// <summary>Null when Zoom sent none (or <c>null</c>).</summary>
    [JsonPropertyName("reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StopReason? Reason { get; set; }

    [JsonPropertyName("timestamp")]
    public long Timestamp { get; set; }
}
