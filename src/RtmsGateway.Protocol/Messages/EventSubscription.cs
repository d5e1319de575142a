using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 5, app→signaling: subscribe to or unsubscribe from event types (§3.4). No response.</summary>
public sealed class EventSubscription : RtmsMessage
{
    public EventSubscription() : base(MessageType.EventSubscription) { }

    [JsonPropertyName("events")]
    public List<EventSubscriptionItem> Events { get; set; } = [];
}
