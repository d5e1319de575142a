using Microsoft.Extensions.Configuration;
using RtmsGateway.Configuration;
using RtmsGateway.Protocol;

namespace RtmsGateway.Tests.Configuration;

/// <summary>Transcript options bind by name or number, are validated, and reach <c>media_params.transcript</c> only
/// when set (unset: Zoom's defaults, English with identification on).</summary>
public sealed class TranscriptOptionsTests
{
    private static RtmsClientOptions Bind(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(RtmsClientOptions.Section).Get<RtmsClientOptions>() ?? new RtmsClientOptions();

    [Theory]
    [InlineData("German")]
    [InlineData("14")]
    public void A_language_binds_by_name_or_number_and_is_sent(string language)
    {
        var options = Bind(new() { ["Rtms:TranscriptSourceLanguage"] = language, ["Rtms:TranscriptLanguageIdentification"] = "false" });
        Assert.True(new RtmsClientOptionsValidator().Validate(null, options).Succeeded);
        var transcript = RtmsMediaRequest.Build(options, MediaDataType.Transcript).Transcript!;
        Assert.Equal((TranscriptLanguage.German, false), (transcript.SourceLanguage!.Value, transcript.EnableLanguageIdentification!.Value));
    }

    [Fact]
    public void Unset_options_send_neither_field()
    {
        var transcript = RtmsMediaRequest.Build(new RtmsClientOptions(), MediaDataType.Transcript).Transcript!;
        Assert.Equal((null, null), (transcript.SourceLanguage, transcript.EnableLanguageIdentification));
        Assert.Equal("""{"content_type":5}""", System.Text.Json.JsonSerializer.Serialize(transcript, Protocol.Serialization.RtmsJsonContext.Default.TranscriptParams));
    }

    [Theory]
    [InlineData(99)]
    [InlineData(-2)]
    public void A_language_outside_the_table_fails_validation(int language)
    {
        var result = new RtmsClientOptionsValidator().Validate(null, new RtmsClientOptions { TranscriptSourceLanguage = (TranscriptLanguage)language });
        Assert.True(result.Failed);
        Assert.Contains("Rtms:TranscriptSourceLanguage", result.FailureMessage, StringComparison.Ordinal);
    }
}
