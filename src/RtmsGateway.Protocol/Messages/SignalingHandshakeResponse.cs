using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 2, signaling→app: handshake result and media server URLs (§3.4).</summary>
public sealed class SignalingHandshakeResponse : RtmsMessage
{
    public SignalingHandshakeResponse() : base(MessageType.SignalingHandshakeResponse) { }

    [JsonPropertyName("protocol_version")]
    public int ProtocolVersion { get; set; } = 1;

    [JsonPropertyName("sequence")]
    public long Sequence { get; set; }

    [JsonPropertyName("status_code")]
    [JsonRequired]
    public StatusCode StatusCode { get; set; }

    [JsonPropertyName("reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; set; }

    [JsonPropertyName("media_server")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MediaServerInfo? MediaServer { get; set; }
}
