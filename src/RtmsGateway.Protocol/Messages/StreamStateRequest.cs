using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 19, app→signaling: ask for the stream state (§3.4).</summary>
public sealed class StreamStateRequest : RtmsMessage
{
    public StreamStateRequest() : base(MessageType.StreamStateRequest) { }

    [JsonPropertyName("rtms_stream_id")]
    public required string RtmsStreamId { get; set; }
}
