using System.Text.RegularExpressions;
using RtmsGateway.Api.V1;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.Polyglot;

/// <summary>Consumers in C#, Python and Node (the client libraries' examples), and buf curl through server reflection, read the same live gateway.</summary>
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
            ["clients/python/examples/transcripts.py", "--addresses", fixture.GrpcTarget, "--stream", fixture.Session.RtmsStreamId, "--count", "3"], Limit);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(TranscriptLine().Count(run.Output) == 3, run.ToString());
    }

    [Fact]
    public async Task The_python_client_lists_sessions()
    {
        var run = await ExternalProcess.RunAsync("/usr/bin/python3",
        [
            "-c", "import sys; sys.path.insert(0, 'clients/python'); from rtms_gateway_client import GatewayClient, pb\n" +
                  "for s in GatewayClient(sys.argv[1]).list_sessions(): print(s.rtms_stream_id, s.instance_id, pb.SessionState.Name(s.state))",
            fixture.GrpcTarget,
        ], Limit);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"{fixture.Session.RtmsStreamId} {fixture.Session.InstanceId} SESSION_STATE_STREAMING", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_node_example_records_audio_until_sigterm()
    {
        var wav = Path.Combine(Path.GetTempPath(), $"polyglot-{Guid.NewGuid():N}.wav");
        try
        {
            await using var recorder = RunningProgram.Start("node", ["clients/node/examples/wav.js", "--addresses", fixture.GrpcTarget, "--stream", fixture.Session.RtmsStreamId, "--out", wav]);
            using var timeout = new CancellationTokenSource(Limit);
            Assert.True(await recorder.ReadLineAsync(l => l == $"recording {wav}", timeout.Token) is not null, recorder.Transcript());
            // Half a second goes by for the recorder too once a subscriber of our own has read 25 frames.
            using var audio = fixture.Gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { RtmsStreamId = fixture.Session.RtmsStreamId } });
            await StreamReading.ReadAsync(audio.ResponseStream, 25, r => r.Frame is not null);
            recorder.Terminate();
            Assert.True(await recorder.WaitForExitAsync(timeout.Token) == 0, recorder.Transcript());
            var file = Clients.Examples.WavFile.Read(wav);
            Assert.Equal((16000, 1, 16), (file.SampleRateHz, file.Channels, file.BitsPerSample));
            Assert.True(file.Duration >= TimeSpan.FromSeconds(0.4), recorder.Transcript());
        }
        finally
        {
            File.Delete(wav);
        }
    }

    [Fact]
    public async Task The_node_example_prints_transcripts_by_instance_id()
    {
        var run = await ExternalProcess.RunAsync("node",
            ["clients/node/examples/transcripts.js", "--addresses", fixture.GrpcTarget, "--meeting", fixture.Session.InstanceId, "--count", "2"], Limit);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(TranscriptLine().Count(run.Output) == 2, run.ToString());
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

    [GeneratedRegex(@"^[^:\[\n]+: .+$", RegexOptions.Multiline)]
    private static partial Regex TranscriptLine();

    [GeneratedRegex("\"segment\":\\s*\\{")]
    private static partial Regex SegmentJson();
}
