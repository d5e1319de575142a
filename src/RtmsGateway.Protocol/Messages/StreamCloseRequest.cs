using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 21, app→signaling: ask Zoom to end the stream (stop reason 20 follows) (§3.4).</summary>
public sealed class StreamCloseRequest : RtmsMessage
{
    public StreamCloseRequest() : base(MessageType.StreamCloseRequest) { }

    [JsonPropertyName("rtms_stream_id")]
    public required string RtmsStreamId { get; set; }
}
