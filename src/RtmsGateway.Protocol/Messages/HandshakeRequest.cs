using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>
/// What the signaling (msg_type 1) and data (msg_type 3) handshakes share: version, sequence, the instance id, the stream
/// and the signature. The instance id travels under the product's own key (<c>meeting_uuid</c> for meetings, and the
/// documented key for every product; <c>webinar_uuid</c>, <c>session_id</c> for Video SDK, <c>engagement_id</c> for
/// Contact Center, <c>call_id</c> for Zoom Phone, as Zoom's SDK writes it); see <see cref="InstanceIdKeys"/>.
/// Members of the derived messages are ordered after these (<c>[JsonPropertyOrder(1)]</c>), as the wire has them.
/// </summary>
public abstract class HandshakeRequest(MessageType msgType) : RtmsMessage(msgType)
{
    /// <summary>Always written (1 for V1); required when read, so a handshake without it is refused rather than taken as V1.</summary>
    [JsonPropertyName("protocol_version")]
    [JsonRequired]
    public int ProtocolVersion { get; set; } = 1;

    [JsonPropertyName("sequence")]
    public long Sequence { get; set; }

    /// <summary>The instance id under the documented key (any product).</summary>
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
}
