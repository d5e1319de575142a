using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>One entry of <see cref="EventSubscription.Events"/>.</summary>
public sealed class EventSubscriptionItem
{
    /// <summary>An <see cref="EventType"/> (or <see cref="ZccVoiceEventType"/>) value; kept as a number because the enums overlap.</summary>
    [JsonPropertyName("event_type")]
    [JsonRequired]
    public int EventType { get; set; }

    [JsonPropertyName("subscribe")]
    public bool Subscribe { get; set; } = true;
}
