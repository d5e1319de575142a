using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>Camera video media parameters (§4.3).</summary>
public sealed class VideoParams
{
    [JsonPropertyName("content_type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MediaContentType? ContentType { get; set; }

    [JsonPropertyName("codec")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MediaCodec? Codec { get; set; }

    [JsonPropertyName("resolution")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MediaResolution? Resolution { get; set; }

    [JsonPropertyName("data_opt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MediaDataOption? DataOpt { get; set; }

    [JsonPropertyName("fps")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Fps { get; set; }
}
