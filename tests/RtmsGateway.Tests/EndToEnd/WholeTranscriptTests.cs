using RtmsGateway.Api.V1;
using RtmsGateway.Sessions;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>Standalone: transcripts and events are kept for the session's whole life, audio keeps its replay window.</summary>
public sealed class WholeTranscriptTests : IAsyncLifetime
{
    private GatewayUnderTest _gateway = null!;
    private SimulatedMeeting _meeting = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayUnderTest.StartAsync(settings: new Dictionary<string, string?> { ["Fanout:ReplayRetention"] = "00:00:00.200" });
        _meeting = await _gateway.StartMeetingAsync(new MeetingOptions { TranscriptInterval = TimeSpan.FromMilliseconds(100) });
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task From_start_returns_transcripts_older_than_the_replay_retention_while_audio_keeps_its_window()
    {
        using (var live = _gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = new SubscriptionTarget { RtmsStreamId = _meeting.StreamId } }))
        {
            // Six transcripts 100 ms apart: the first are older than the 200 ms retention when read again.
            await StreamReading.ReadAsync(live.ResponseStream, 1, r => r.Segment is not null && r.Segment.Header.Sequence >= Sequences.First(1) + 6);
        }

        using var whole = _gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = new SubscriptionTarget { RtmsStreamId = _meeting.StreamId, FromStart = true } });
        var responses = await StreamReading.ReadAsync(whole.ResponseStream, 7, r => r.Segment is not null);
        Assert.DoesNotContain(responses, r => r.Gap is not null);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => Sequences.First(1) + (ulong)i), responses.Select(r => r.Segment.Header.Sequence));

        using var audio = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { RtmsStreamId = _meeting.StreamId, FromStart = true } });
        var frames = await StreamReading.ReadAsync(audio.ResponseStream, 1, r => r.Frame is not null);
        // 20 ms frames for more than 600 ms: the first ones aged out of the audio replay window.
        Assert.True(frames.First(r => r.Frame is not null).Frame.Header.Sequence > Sequences.First(1) + 10);
    }
}
