using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 20, signaling→app: the stream state; the timestamp unit varies (§3.4).</summary>
public sealed class StreamStateResponse : RtmsMessage
{
    public StreamStateResponse() : base(MessageType.StreamStateResponse) { }

    [JsonPropertyName("rtms_stream_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RtmsStreamId { get; set; }

    [JsonPropertyName("state")]
    [JsonRequired]
    public RtmsStreamState State { get; set; }

    [JsonPropertyName("timestamp")]
    public long Timestamp { get; set; }
}
