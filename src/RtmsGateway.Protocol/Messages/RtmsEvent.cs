using System.Text.Json;
using System.Text.Json.Serialization;
using RtmsGateway.Protocol.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>The <c>event</c> object of <see cref="EventUpdate"/> (§3.4). Fields Zoom adds are kept in <see cref="Extra"/>.</summary>
public sealed class RtmsEvent : IJsonOnDeserialized
{
    /// <summary>An <see cref="Protocol.EventType"/> value, or a <see cref="ZccVoiceEventType"/> for Contact Center streams.</summary>
    [JsonPropertyName("event_type")]
    [JsonRequired]
    public int EventType { get; set; }

    /// <summary>When the event occurred (epoch ms), as meeting events carry it; read generously (an unreadable value costs
    /// only this field, <see cref="RtmsMessage.UnreadFields"/>).</summary>
    [JsonPropertyName("timestamp")]
    [JsonConverter(typeof(EventTimestampConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Timestamp { get; set; }

    /// <summary>When the event occurred (epoch ms), as Contact Center voice events carry it (<c>event_ts</c>, e.g. "when the
    /// customer's channel was answered"); read generously like <see cref="Timestamp"/>.</summary>
    [JsonPropertyName("event_ts")]
    [JsonConverter(typeof(EventTsConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? EventTs { get; set; }

    /// <summary>The event's time: <see cref="EventTs"/>, else <see cref="Timestamp"/>, else 0.</summary>
    [JsonIgnore]
    public long OccurredAt => EventTs ?? Timestamp ?? 0;

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
