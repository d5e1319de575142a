using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 5, app→signaling: subscribe to or unsubscribe from event types (§3.4). No response.</summary>
public sealed class EventSubscription : RtmsMessage, IJsonOnDeserialized
{
    private List<EventSubscriptionItem> _events = [];

    public EventSubscription() : base(MessageType.EventSubscription) { }

    /// <summary>The items; a JSON null reads as none, and null entries are dropped.</summary>
    [JsonPropertyName("events")]
    [AllowNull]
    public List<EventSubscriptionItem> Events { get => _events; set => _events = value ?? []; }

    void IJsonOnDeserialized.OnDeserialized() => _events.RemoveAll(item => item is null);
}
