using RtmsGateway.Api.V1;
using RtmsGateway.Protocol;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary><c>Rtms:TranscriptSourceLanguage</c> and <c>Rtms:TranscriptLanguageIdentification</c> go into the data
/// handshake's <c>media_params.transcript</c> (<c>src_language</c>, <c>enable_lid</c>).</summary>
public sealed class TranscriptLanguageTests
{
    [Fact]
    public async Task A_configured_language_without_identification_arrives_in_transcripts()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Rtms:MediaTypes"] = "Audio, Transcript",
            ["Rtms:TranscriptSourceLanguage"] = "German",
            ["Rtms:TranscriptLanguageIdentification"] = "false",
        });
        var meeting = await gateway.StartMeetingAsync(new MeetingOptions { TranscriptInterval = TimeSpan.FromMilliseconds(200) });
        using var transcripts = gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId } });
        var segments = (await StreamReading.ReadAsync(transcripts.ResponseStream, 2, r => r.Segment is not null)).Where(r => r.Segment is not null).ToList();
        Assert.All(segments, s => Assert.Equal(ZoomTranscriptLanguage.German, s.Segment.Language));
    }

    [Fact]
    public async Task Unset_options_leave_zoom_defaults_and_english_transcripts()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(settings: new Dictionary<string, string?> { ["Rtms:MediaTypes"] = "Audio, Transcript" });
        var meeting = await gateway.StartMeetingAsync(new MeetingOptions { TranscriptInterval = TimeSpan.FromMilliseconds(200) });
        using var transcripts = gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId } });
        var segment = (await StreamReading.ReadAsync(transcripts.ResponseStream, 1, r => r.Segment is not null))[^1].Segment;
        Assert.Equal(ZoomTranscriptLanguage.English, segment.Language);
    }
}
