using System.Text.RegularExpressions;
using RtmsGateway.Api.V1;
using RtmsGateway.Protocol;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.Clients.Examples;

/// <summary>
/// What every language's examples (clients/&lt;lang&gt;/examples) must do, run as real processes against one real gateway
/// and simulated meeting: <c>transcripts</c> prints segments with their speakers' names; <c>keyframes</c> saves key
/// frames a decoder can open; two <c>wav</c> recorders (asking for L16 16 kHz mono) write valid WAV files carrying the
/// active speaker's tone, one finalized on SIGTERM, the other at the meeting's end.
/// </summary>
internal static partial class ExampleScenario
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>Starts example <c>name</c> (transcripts, wav, keyframes) with these arguments.</summary>
    public delegate RunningProgram Launcher(string name, IReadOnlyList<string> arguments);

    public static async Task RunAsync(Launcher start)
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        var meeting = await gateway.StartMeetingAsync(new MeetingOptions
        {
            Participants = 2,
            ActiveSpeakerInterval = TimeSpan.FromMinutes(10), // the mixed audio carries one tone throughout
            TranscriptInterval = TimeSpan.FromMilliseconds(200),
        });
        var folder = Directory.CreateTempSubdirectory("rtms-examples-");
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            var token = Path.Combine(folder.FullName, "token");
            await File.WriteAllTextAsync(token, "example-token\n", timeout.Token);
            string[] common = ["--addresses", gateway.GrpcUrl.ToString(), "--meeting", meeting.InstanceId, "--token-file", token];
            var endWav = Path.Combine(folder.FullName, "until-end.wav");
            var signalWav = Path.Combine(folder.FullName, "until-sigterm.wav");
            await using var untilEnd = start("wav", [.. common, "--out", endWav]);
            await using var untilSignal = start("wav", [.. common, "--out", signalWav]);
            await ExpectLineAsync(untilEnd, l => l == $"recording {endWav}", timeout.Token);
            await ExpectLineAsync(untilSignal, l => l == $"recording {signalWav}", timeout.Token);

            await using (var transcripts = start("transcripts", [.. common, "--count", "3"]))
            {
                Assert.True(await transcripts.WaitForExitAsync(timeout.Token) == 0, transcripts.Transcript());
                var names = meeting.Participants.Select(p => p.Name).ToHashSet();
                var lines = transcripts.Transcript().Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.True(lines.Count(l => SpeakerLine().Match(l) is { Success: true } m && names.Contains(m.Groups[1].Value)) == 3, transcripts.Transcript());
            }

            var frames = Path.Combine(folder.FullName, "keyframes");
            await using (var keyframes = start("keyframes", [.. common, "--dir", frames, "--limit", "2"]))
            {
                Assert.True(await keyframes.WaitForExitAsync(timeout.Token) == 0, keyframes.Transcript());
                var saved = Directory.GetFiles(frames);
                Assert.True(saved.Length == 2, keyframes.Transcript());
                Assert.All(saved, AssertDecodableKeyFrame);
            }

            // Both recorders hold at least a second of audio once a subscriber of our own has seen a second go by.
            await AssertSecondOfL16AudioAsync(gateway, meeting, timeout.Token);
            untilSignal.Terminate();
            Assert.True(await untilSignal.WaitForExitAsync(timeout.Token) == 0, untilSignal.Transcript());
            AssertRecording(signalWav, meeting, untilSignal);

            await meeting.StopAsync(StopReason.MeetingEnded, timeout.Token);
            Assert.True(await untilEnd.WaitForExitAsync(timeout.Token) == 0, untilEnd.Transcript());
            Assert.Contains("[ended]", untilEnd.Transcript(), StringComparison.Ordinal);
            AssertRecording(endWav, meeting, untilEnd);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task ExpectLineAsync(RunningProgram program, Func<string, bool> match, CancellationToken ct) =>
        Assert.True(await program.ReadLineAsync(match, ct) is not null, program.Transcript());

    private static async Task AssertSecondOfL16AudioAsync(GatewayUnderTest gateway, SimulatedMeeting meeting, CancellationToken ct)
    {
        var request = new SubscribeAudioRequest
        {
            Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId },
            Format = new AudioFormatRequest { Codec = AudioCodec.L16, SampleRateHz = 16000, Channels = 1 },
        };
        using var audio = gateway.Client.SubscribeAudio(request, cancellationToken: ct);
        var frames = (await StreamReading.ReadAsync(audio.ResponseStream, 50, r => r.Frame is not null)).Where(r => r.Frame is not null);
        Assert.All(frames, f => Assert.Equal((AudioCodec.L16, 16000u, 1u), (f.Frame.Format.Codec, f.Frame.Format.SampleRateHz, f.Frame.Format.Channels)));
    }

    private static void AssertRecording(string path, SimulatedMeeting meeting, RunningProgram program)
    {
        Assert.Contains($"wrote {path}", program.Transcript(), StringComparison.Ordinal);
        var wav = WavFile.Read(path);
        Assert.Equal((16000, 1, 16), (wav.SampleRateHz, wav.Channels, wav.BitsPerSample));
        Assert.True(wav.Duration >= TimeSpan.FromSeconds(1), $"{path}: {wav.Duration}\n{program.Transcript()}");
        var tone = meeting.ActiveSpeaker?.ToneHz ?? meeting.Participants[0].ToneHz;
        var heard = AudioDecoding.ToneHz(wav.Samples, wav.SampleRateHz, wav.Channels);
        Assert.True(Math.Abs(heard - tone) < tone * 0.05, $"{path}: heard {heard:F1} Hz, the active speaker's tone is {tone} Hz");
    }

    private static void AssertDecodableKeyFrame(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Matches(@"^\d+\.(jpg|png|h264)$", Path.GetFileName(path));
        switch (Path.GetExtension(path))
        {
            case ".jpg":
                Assert.True(bytes is [0xFF, 0xD8, ..] && bytes[^2..] is [0xFF, 0xD9], $"{path} is no whole JPEG");
                break;
            case ".png":
                Assert.True(bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']), $"{path} is no PNG");
                break;
            default:
                // Annex B: a start code, then an SPS (NAL type 7) first.
                var nal = bytes is [0, 0, 1, ..] ? bytes[3] : bytes is [0, 0, 0, 1, ..] ? bytes[4] : (byte)0;
                Assert.True((nal & 0x1F) == 7, $"{path} does not start with an SPS");
                break;
        }
    }

    [GeneratedRegex(@"^([^:\[]+): .+$")]
    private static partial Regex SpeakerLine();
}
