using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 1, app→signaling: opens a stream with the signed handshake (§3.4).</summary>
public sealed class SignalingHandshakeRequest : HandshakeRequest
{
    public SignalingHandshakeRequest() : base(MessageType.SignalingHandshakeRequest) { }

    /// <summary>Whether Zoom should deliver the audio buffered before the handshake (default true when omitted).</summary>
    [JsonPropertyName("buffer_data")]
    [JsonPropertyOrder(1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? BufferData { get; set; }
}
