using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 1, app→signaling: opens a stream with the signed handshake (§3.4).</summary>
public sealed class SignalingHandshakeRequest : RtmsMessage
{
    public SignalingHandshakeRequest() : base(MessageType.SignalingHandshakeRequest) { }

    /// <summary>Always written (1 for V1); required when read, so a handshake without it is refused rather than taken as V1.</summary>
    [JsonPropertyName("protocol_version")]
    [JsonRequired]
    public int ProtocolVersion { get; set; } = 1;

    [JsonPropertyName("sequence")]
    public long Sequence { get; set; }

    /// <summary>The instance id: meeting/webinar UUID, Video SDK session id or Contact Center engagement id.</summary>
    [JsonPropertyName("meeting_uuid")]
    public required string MeetingUuid { get; set; }

    [JsonPropertyName("rtms_stream_id")]
    public required string RtmsStreamId { get; set; }

    [JsonPropertyName("signature")]
    public required string Signature { get; set; }

    /// <summary>Whether Zoom should deliver the audio buffered before the handshake (default true when omitted).</summary>
    [JsonPropertyName("buffer_data")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? BufferData { get; set; }
}
