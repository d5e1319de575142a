using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 3, app→media socket: the signed data handshake with the wanted media types and parameters (§4.1).</summary>
public sealed class DataHandshakeRequest : RtmsMessage
{
    public DataHandshakeRequest() : base(MessageType.DataHandshakeRequest) { }

    /// <summary>Always written (1 for V1); required when read, so a handshake without it is refused rather than taken as V1.</summary>
    [JsonPropertyName("protocol_version")]
    [JsonRequired]
    public int ProtocolVersion { get; set; } = 1;

    [JsonPropertyName("sequence")]
    public long Sequence { get; set; }

    [JsonPropertyName("meeting_uuid")]
    public required string MeetingUuid { get; set; }

    [JsonPropertyName("rtms_stream_id")]
    public required string RtmsStreamId { get; set; }

    [JsonPropertyName("signature")]
    public required string Signature { get; set; }

    [JsonPropertyName("media_type")]
    [JsonRequired]
    public MediaDataType MediaType { get; set; }

    [JsonPropertyName("payload_encryption")]
    public bool PayloadEncryption { get; set; }

    [JsonPropertyName("media_params")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MediaParams? MediaParams { get; set; }
}
