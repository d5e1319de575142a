using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>A participant in join/leave/video events.</summary>
public sealed class RtmsParticipant
{
    [JsonPropertyName("user_id")]
    public RtmsUserId UserId { get; set; }

    [JsonPropertyName("user_name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UserName { get; set; }
}
