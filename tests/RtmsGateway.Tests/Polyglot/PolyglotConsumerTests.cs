using System.Text.RegularExpressions;
using RtmsGateway.Api.V1;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.Polyglot;

/// <summary>Consumers in C#, Python and Node, and buf curl through server reflection, read the same live gateway.</summary>
public sealed partial class PolyglotConsumerTests(StandaloneGatewayFixture fixture) : IClassFixture<StandaloneGatewayFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_grpc_dotnet_client_reads_transcripts_audio_and_events()
    {
        var target = new SubscriptionTarget { RtmsStreamId = fixture.Session.RtmsStreamId };
        using var transcripts = fixture.Gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = target });
        var segments = (await StreamReading.ReadAsync(transcripts.ResponseStream, 3, r => r.Segment is not null)).Where(r => r.Segment is not null).ToList();
        Assert.All(segments, s => Assert.False(string.IsNullOrEmpty(s.Segment.Text)));
        using var audio = fixture.Gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = target });
        var frames = (await StreamReading.ReadAsync(audio.ResponseStream, 5, r => r.Frame is not null)).Where(r => r.Frame is not null).ToList();
        Assert.All(frames, f => Assert.Equal((640, 16000u), (f.Frame.Data.Length, f.Frame.Format.SampleRateHz)));
        using var events = fixture.Gateway.Client.SubscribeEvents(new SubscribeEventsRequest { Target = new SubscriptionTarget { InstanceId = fixture.Session.InstanceId, FromStart = true } });
        Assert.NotEmpty(await StreamReading.ReadAsync(events.ResponseStream, 1, r => r.Event?.ParticipantsJoined is not null));
    }

    [Fact]
    public async Task The_python_example_prints_transcripts()
    {
        var run = await ExternalProcess.RunAsync("/usr/bin/python3",
            ["examples/python/consumer.py", "--target", fixture.GrpcTarget, "--stream", "transcripts", "--count", "3"], Limit);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(TranscriptLine().Count(run.Output) >= 3, run.ToString());
    }

    [Fact]
    public async Task The_python_example_lists_sessions()
    {
        var run = await ExternalProcess.RunAsync("/usr/bin/python3", ["examples/python/consumer.py", "--target", fixture.GrpcTarget, "--list"], Limit);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"{fixture.Session.RtmsStreamId} {fixture.Session.InstanceId} SESSION_STATE_STREAMING", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_node_example_prints_audio_frames()
    {
        var run = await ExternalProcess.RunAsync("node", ["examples/node/consumer.js", "--target", fixture.GrpcTarget, "--stream", "audio", "--count", "5"], Limit);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(5, AudioLine().Count(run.Output));
    }

    [Fact]
    public async Task The_node_example_prints_transcripts_by_instance_id()
    {
        var run = await ExternalProcess.RunAsync("node",
            ["examples/node/consumer.js", "--target", fixture.GrpcTarget, "--meeting", fixture.Session.InstanceId, "--count", "2"], Limit);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(TranscriptLine().Count(run.Output) >= 2, run.ToString());
    }

    [Fact]
    public async Task Buf_curl_lists_services_through_reflection_and_streams_transcripts()
    {
        var buf = Path.Combine(RepositoryPaths.Root, "node_modules", ".bin", "buf");
        var list = await ExternalProcess.RunAsync(buf, ["curl", "--protocol", "grpc", "--http2-prior-knowledge", "--list-methods", fixture.Gateway.GrpcUrl.ToString().TrimEnd('/')], Limit);
        Assert.True(list.ExitCode == 0, list.ToString());
        foreach (var method in new[] { "ListSessions", "WatchSessions", "SubscribeAudio", "SubscribeVideo", "SubscribeTranscripts", "SubscribeEvents" })
        {
            Assert.Contains($"rtms.gateway.v1.RtmsGatewayService/{method}", list.Output, StringComparison.Ordinal);
        }

        var health = await ExternalProcess.RunAsync(buf, ["curl", "--protocol", "grpc", "--http2-prior-knowledge", $"{fixture.Gateway.GrpcUrl}grpc.health.v1.Health/Check"], Limit);
        Assert.Contains("SERVING", health.Output, StringComparison.Ordinal);

        var stream = await ExternalProcess.RunAsync(buf,
        [
            "curl", "--protocol", "grpc", "--http2-prior-knowledge", "--timeout", "3s",
            "-d", "{\"target\":{\"rtms_stream_id\":\"" + fixture.Session.RtmsStreamId + "\"}}",
            $"{fixture.Gateway.GrpcUrl}rtms.gateway.v1.RtmsGatewayService/SubscribeTranscripts",
        ], Limit);
        // The stream never ends by itself: the deadline ends it, after several segments printed as JSON.
        Assert.True(SegmentJson().Count(stream.Output) >= 2, stream.ToString());
    }

    [GeneratedRegex(@"^\d+ transcript [^:]+: .+$", RegexOptions.Multiline)]
    private static partial Regex TranscriptLine();

    [GeneratedRegex(@"^\d+ audio user=0 bytes=640 16000Hz 1ch$", RegexOptions.Multiline)]
    private static partial Regex AudioLine();

    [GeneratedRegex("\"segment\":\\s*\\{")]
    private static partial Regex SegmentJson();
}
