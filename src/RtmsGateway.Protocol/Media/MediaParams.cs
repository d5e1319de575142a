using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary><c>media_params</c> of the data handshake request and response (§4.3, §4.4).</summary>
public sealed class MediaParams
{
    [JsonPropertyName("audio")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AudioParams? Audio { get; set; }

    [JsonPropertyName("video")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public VideoParams? Video { get; set; }

    [JsonPropertyName("deskshare")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DeskshareParams? Deskshare { get; set; }

    [JsonPropertyName("transcript")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TranscriptParams? Transcript { get; set; }

    [JsonPropertyName("chat")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ChatParams? Chat { get; set; }
}
