using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 3, app→media socket: the signed data handshake with the wanted media types and parameters (§4.1).</summary>
public sealed class DataHandshakeRequest : HandshakeRequest
{
    public DataHandshakeRequest() : base(MessageType.DataHandshakeRequest) { }

    [JsonPropertyName("media_type")]
    [JsonPropertyOrder(1)]
    [JsonRequired]
    public MediaDataType MediaType { get; set; }

    [JsonPropertyName("payload_encryption")]
    [JsonPropertyOrder(1)]
    public bool PayloadEncryption { get; set; }

    [JsonPropertyName("media_params")]
    [JsonPropertyOrder(1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MediaParams? MediaParams { get; set; }
}
