using System.Text.Json.Nodes;
using RtmsGateway.Protocol;
using RtmsGateway.Protocol.Codecs;
using RtmsGateway.Testing;

namespace RtmsGateway.Simulator.Tests;

/// <summary>
/// What Zoom's own sample clients ask for, from a plain client written from the protocol reference (§3-§4): H.264 video
/// at 25 fps (codec 7), Opus audio (codec 4, 48 kHz stereo, per speaker: the SDK's default) and one participant's video
/// (data_opt 4 + VIDEO_SUBSCRIPTION_REQ). Each arrives, and decodes: the H.264 with ffprobe at the requested resolution,
/// the Opus with an Opus decoder to each speaker's tone.
/// </summary>
public sealed class ZoomClientMediaTests : IAsyncLifetime
{
    private SimulatorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SimulatorHarness.StartAsync(o => o.KeepAliveInterval = TimeSpan.FromSeconds(2));

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static JsonObject Params(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public async Task H264_at_25_fps_opus_and_one_participants_video_are_served_as_zooms_clients_request_them()
    {
        var (meeting, _) = await _harness.StartMeetingAsync(SimulatorHarness.FastMeeting());
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;

        // Video: H.264 (7), HD (2), the chosen participant's stream (4), 25 fps.
        var (video, videoResponse) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "video", 2,
            Params("""{"video":{"content_type":3,"codec":7,"resolution":2,"data_opt":4,"fps":25}}"""));
        await using var v = video;
        Assert.True((int)videoResponse["status_code"]! == 0, videoResponse.ToJsonString());
        var watched = meeting.Participants[1];
        await signaling.SendAsync(new JsonObject { ["msg_type"] = 28, ["user_id"] = watched.UserId, ["subscribe"] = true, ["timestamp"] = 1 });
        var answer = await signaling.ExpectAsync(29);
        Assert.Equal(0, (int)answer["status_code"]!);

        // Audio: Opus (4), 48 kHz (3), stereo (2), per speaker (2), 20 ms.
        var (audio, audioResponse) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "audio", 1,
            Params("""{"audio":{"content_type":2,"codec":4,"sample_rate":3,"channel":2,"data_opt":2,"send_rate":20}}"""));
        await using var a = audio;
        Assert.True((int)audioResponse["status_code"]! == 0, audioResponse.ToJsonString());

        var frames = await video.CollectAsync(m => RawRtmsClient.MsgType(m) == 15, 50, "H.264 video");
        Assert.All(frames, f => Assert.Equal(watched.UserId, RawRtmsClient.UserId(f)));
        var units = frames.Select(RawRtmsClient.Data).ToList();
        Assert.True(VideoPicture.Inspect(MediaCodec.H264, units[0]) is { IsKeyFrame: true, Width: 1280, Height: 720 }, "the first access unit is an IDR with its SPS");
        var probe = await Ffmpeg.ProbeAsync([.. units.SelectMany(u => u)], "h264");
        Assert.Equal(("h264", 1280, 720, 50), (probe.Codec, probe.Width, probe.Height, probe.DecodedFrames));

        var packets = await audio.CollectAsync(m => RawRtmsClient.MsgType(m) == 14, 60, "Opus audio");
        foreach (var speaker in packets.GroupBy(RawRtmsClient.UserId))
        {
            var hz = meeting.Participants.Single(p => p.UserId == speaker.Key).ToneHz;
            var pcm = AudioDecoding.DecodeOpus([.. speaker.Select(p => (ReadOnlyMemory<byte>)RawRtmsClient.Data(p))], 48000, 2);
            Assert.Equal(speaker.Count() * 960 * 2, pcm.Length);
            var heard = AudioDecoding.ToneHz(pcm, 48000, 2);
            Assert.True(Math.Abs(heard - hz) < hz * 0.05, $"speaker {speaker.Key}: heard {heard:F1} Hz, sent {hz} Hz");
        }
    }
}
