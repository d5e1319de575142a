using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>Audio media parameters (§4.3). Unset fields take Zoom's defaults (see <see cref="MediaParamsDefaults"/>).</summary>
public sealed class AudioParams
{
    [JsonPropertyName("content_type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MediaContentType? ContentType { get; set; }

    [JsonPropertyName("sample_rate")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AudioSampleRate? SampleRate { get; set; }

    [JsonPropertyName("channel")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AudioChannel? Channel { get; set; }

    [JsonPropertyName("codec")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MediaCodec? Codec { get; set; }

    [JsonPropertyName("data_opt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MediaDataOption? DataOpt { get; set; }

    /// <summary>Milliseconds between packets: a multiple of 20, at most 1000.</summary>
    [JsonPropertyName("send_rate")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SendRate { get; set; }

    /// <summary>SDK-only field.</summary>
    [JsonPropertyName("duration")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Duration { get; set; }

    /// <summary>SDK-only field.</summary>
    [JsonPropertyName("frame_size")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? FrameSize { get; set; }
}
