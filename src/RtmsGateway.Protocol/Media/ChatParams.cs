using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>Chat media parameters (§4.3).</summary>
public sealed class ChatParams
{
    [JsonPropertyName("content_type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MediaContentType? ContentType { get; set; }
}
