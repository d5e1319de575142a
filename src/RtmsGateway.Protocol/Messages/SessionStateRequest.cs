using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 10, app→signaling: ask for the state of one session (§3.4).</summary>
public sealed class SessionStateRequest : RtmsMessage
{
    public SessionStateRequest() : base(MessageType.SessionStateRequest) { }

    [JsonPropertyName("rtms_session_id")]
    public required string RtmsSessionId { get; set; }
}
