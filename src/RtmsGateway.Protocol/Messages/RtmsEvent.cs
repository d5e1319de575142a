using System.Text.Json;
using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>The <c>event</c> object of <see cref="EventUpdate"/> (§3.4). Fields Zoom adds are kept in <see cref="Extra"/>.</summary>
public sealed class RtmsEvent : IJsonOnDeserialized
{
    /// <summary>An <see cref="Protocol.EventType"/> value, or a <see cref="ZccVoiceEventType"/> for Contact Center streams.</summary>
    [JsonPropertyName("event_type")]
    [JsonRequired]
    public int EventType { get; set; }

    [JsonPropertyName("timestamp")]
    public long Timestamp { get; set; }

    [JsonPropertyName("user_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RtmsUserId? UserId { get; set; }

    [JsonPropertyName("user_name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UserName { get; set; }

    [JsonPropertyName("participants")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<RtmsParticipant>? Participants { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>Null entries of <see cref="Participants"/> are dropped: they name no one.</summary>
    void IJsonOnDeserialized.OnDeserialized() => Participants?.RemoveAll(participant => participant is null);
}
