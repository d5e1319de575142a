using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 6, signaling→app: one event (§3.4).</summary>
public sealed class EventUpdate : RtmsMessage
{
    public EventUpdate() : base(MessageType.EventUpdate) { }

    [JsonPropertyName("event")]
    [JsonRequired]
    public RtmsEvent Event { get; set; } = new();
}
