using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 4, media socket→app: data handshake result with the effective media parameters (§4.4).</summary>
public sealed class DataHandshakeResponse : RtmsMessage
{
    public DataHandshakeResponse() : base(MessageType.DataHandshakeResponse) { }

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

    /// <summary>The encryption flag as the docs table names it.</summary>
    [JsonPropertyName("payload_encryption")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? PayloadEncryption { get; set; }

    /// <summary>The encryption flag as the docs example names it (§8: read both).</summary>
    [JsonPropertyName("payload_encrypted")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? PayloadEncrypted { get; set; }

    [JsonIgnore]
    public bool IsPayloadEncrypted => PayloadEncryption ?? PayloadEncrypted ?? false;

    [JsonPropertyName("media_params")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MediaParams? MediaParams { get; set; }
}
