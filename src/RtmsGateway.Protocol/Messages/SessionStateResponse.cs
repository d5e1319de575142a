using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 11, signaling→app: the state of one session (§3.4).</summary>
public sealed class SessionStateResponse : RtmsMessage
{
    public SessionStateResponse() : base(MessageType.SessionStateResponse) { }

    [JsonPropertyName("rtms_session_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RtmsSessionId { get; set; }

    [JsonPropertyName("state")]
    [JsonRequired]
    public RtmsSessionState State { get; set; }

    [JsonPropertyName("timestamp")]
    public long Timestamp { get; set; }
}
