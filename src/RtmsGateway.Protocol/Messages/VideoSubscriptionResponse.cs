using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>msg_type 29, signaling→app: the answer to a video subscription (§3.4).</summary>
public sealed class VideoSubscriptionResponse : RtmsMessage
{
    public VideoSubscriptionResponse() : base(MessageType.VideoSubscriptionResponse) { }

    [JsonPropertyName("user_id")]
    public RtmsUserId UserId { get; set; }

    [JsonPropertyName("status_code")]
    [JsonRequired]
    public StatusCode StatusCode { get; set; }

    [JsonPropertyName("reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; set; }

    [JsonPropertyName("timestamp")]
    public long Timestamp { get; set; }
}
