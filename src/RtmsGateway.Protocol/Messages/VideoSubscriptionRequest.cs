using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 28, app→signaling: choose the participant whose video the individual-stream socket carries (§3.4).</summary>
public sealed class VideoSubscriptionRequest : RtmsMessage
{
    public VideoSubscriptionRequest() : base(MessageType.VideoSubscriptionRequest) { }

    [JsonPropertyName("user_id")]
    [JsonRequired]
    public RtmsUserId UserId { get; set; }

    [JsonPropertyName("subscribe")]
    public bool Subscribe { get; set; }

    [JsonPropertyName("timestamp")]
    public long Timestamp { get; set; }
}
