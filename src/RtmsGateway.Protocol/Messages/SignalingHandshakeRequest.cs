using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 1, app→signaling: opens a stream with the signed handshake (§3.4).</summary>
public sealed class SignalingHandshakeRequest : RtmsMessage, IInstanceIdentified
{
    public SignalingHandshakeRequest() : base(MessageType.SignalingHandshakeRequest) { }

    /// <summary>Always written (1 for V1); required when read, so a handshake without it is refused rather than taken as V1.</summary>
    [JsonPropertyName("protocol_version")]
    [JsonRequired]
    public int ProtocolVersion { get; set; } = 1;

    [JsonPropertyName("sequence")]
    public long Sequence { get; set; }

    /// <summary>The instance id under the documented key (any product); see <see cref="InstanceIdKeys"/>.</summary>
    [JsonPropertyName("meeting_uuid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MeetingUuid { get; set; }

    /// <summary>The instance id under a webinar's own key.</summary>
    [JsonPropertyName("webinar_uuid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? WebinarUuid { get; set; }

    /// <summary>The instance id under a Video SDK session's own key.</summary>
    [JsonPropertyName("session_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SessionId { get; set; }

    /// <summary>The instance id under a Contact Center engagement's own key.</summary>
    [JsonPropertyName("engagement_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EngagementId { get; set; }

    /// <summary>The instance id under a Zoom Phone call's own key.</summary>
    [JsonPropertyName("call_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CallId { get; set; }

    [JsonPropertyName("rtms_stream_id")]
    public required string RtmsStreamId { get; set; }

    [JsonPropertyName("signature")]
    public required string Signature { get; set; }

    /// <summary>Whether Zoom should deliver the audio buffered before the handshake (default true when omitted).</summary>
    [JsonPropertyName("buffer_data")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? BufferData { get; set; }
}
