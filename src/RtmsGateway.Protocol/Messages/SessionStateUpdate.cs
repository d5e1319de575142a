using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 9, signaling→app: a session inside the stream changed state (§3.4).</summary>
public sealed class SessionStateUpdate : RtmsMessage
{
    public SessionStateUpdate() : base(MessageType.SessionStateUpdate) { }

    [JsonPropertyName("rtms_session_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RtmsSessionId { get; set; }

    [JsonPropertyName("state")]
    [JsonRequired]
    public RtmsSessionState State { get; set; }

    [JsonPropertyName("timestamp")]
    public long Timestamp { get; set; }

    /// <summary>The stop reason as the docs example names it.</summary>
    [JsonPropertyName("stop_reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StopReason? StopReasonField { get; set; }

    /// <summary>The stop reason as the docs table names it (§8: read both).</summary>
    [JsonPropertyName("reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StopReason? ReasonField { get; set; }

    [JsonIgnore]
    public StopReason StopReason => StopReasonField ?? ReasonField ?? StopReason.Undefined;
}
