using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>Transcript media parameters (§4.3).</summary>
public sealed class TranscriptParams
{
    [JsonPropertyName("content_type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MediaContentType? ContentType { get; set; }

    [JsonPropertyName("src_language")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TranscriptLanguage? SourceLanguage { get; set; }

    /// <summary>Some samples send <c>language</c> instead of <c>src_language</c>; read as a fallback.</summary>
    [JsonPropertyName("language")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TranscriptLanguage? Language { get; set; }

    [JsonPropertyName("enable_lid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? EnableLanguageIdentification { get; set; }

    [JsonIgnore]
    public TranscriptLanguage? EffectiveSourceLanguage => SourceLanguage ?? Language;
}
