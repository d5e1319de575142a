using System.Buffers.Binary;
using System.Text.Json.Nodes;

namespace RtmsGateway.Simulator.Tests;

/// <summary>Media content and pacing (§4.3, §4.6): formats, timestamps, per-speaker audio, mute, WAV source, video and
/// share frames, individual video subscription, send stamps.</summary>
public sealed class MediaTests : IAsyncLifetime
{
    private SimulatorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static JsonObject Params(string json) => JsonNode.Parse(json)!.AsObject();

    private static bool IsAudio(JsonObject m) => RawRtmsClient.MsgType(m) == 14;

    [Fact]
    public async Task Audio_has_the_negotiated_format_and_timestamps_advance_by_the_send_rate()
    {
        await using var session = await _harness.StreamingAsync(mediaParams: Params("""{"audio":{"content_type":2,"codec":1,"sample_rate":3,"channel":2,"send_rate":40}}"""));
        var packets = await session.Media.CollectAsync(IsAudio, 12, "audio");
        Assert.All(packets, p => Assert.Equal(48_000 * 2 * 2 * 40 / 1000, RawRtmsClient.Data(p).Length));
        var timestamps = packets.Select(RawRtmsClient.Timestamp).ToList();
        Assert.All(timestamps.Zip(timestamps.Skip(1)), pair => Assert.Equal(40, pair.Second - pair.First));
        // L16 little-endian stereo: both channels carry the same (non-silent) voice.
        var pcm = RawRtmsClient.Data(packets[^1]);
        var samples = Enumerable.Range(0, pcm.Length / 4).Select(i => (Left: BinaryPrimitives.ReadInt16LittleEndian(pcm.AsSpan(i * 4)), Right: BinaryPrimitives.ReadInt16LittleEndian(pcm.AsSpan((i * 4) + 2)))).ToList();
        Assert.All(samples, s => Assert.Equal(s.Left, s.Right));
        Assert.True(samples.Max(s => Math.Abs((int)s.Left)) > 1000);
    }

    [Fact]
    public async Task G711_audio_is_one_byte_per_sample_at_8_khz()
    {
        await using var session = await _harness.StreamingAsync(mediaParams: Params("""{"audio":{"content_type":2,"codec":2,"sample_rate":0,"channel":1}}"""));
        var packet = await session.Media.ExpectAsync(14);
        Assert.Equal(160, RawRtmsClient.Data(packet).Length);
    }

    [Fact]
    public async Task Codecs_the_simulator_cannot_produce_are_refused_not_faked()
    {
        // Keep-alives slow enough that a loaded machine cannot lose the signaling socket between the two handshakes
        // (with the shared harness's 200 ms pings, a 600 ms stall did: status 2 instead of 27).
        await using var harness = await SimulatorHarness.StartAsync(o => o.KeepAliveInterval = TimeSpan.FromSeconds(5));
        var (meeting, _) = await harness.StartMeetingAsync();
        var (signaling, response) = await harness.SignalAsync(meeting);
        await using var s = signaling;
        // PNG video and screen share (valid Zoom combinations): Zoom serves them, this simulator has no PNG frames.
        var (png, pngResponse) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "video", 2, Params("""{"video":{"codec":6,"fps":5}}"""));
        await using var p = png;
        Assert.True((int)pngResponse["status_code"]! == 27, pngResponse.ToJsonString());
var (share, shareResponse) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "all", 4, Params("""{"deskshare":{"codec":6,"fps":1}}"""));
        await using var d = share;
        Assert.True((int)shareResponse["status_code"]! == 33, shareResponse.ToJsonString());
    }

    [Fact]
    public async Task Per_speaker_audio_gives_each_speaker_an_id_a_name_and_a_timeline_and_mute_stops_theirs()
    {
        await using var session = await _harness.StreamingAsync(mediaParams: Params("""{"audio":{"data_opt":2}}"""));
        var meeting = session.Meeting;
        var packets = await session.Media.CollectAsync(IsAudio, 30, "audio");
        var byUser = packets.GroupBy(RawRtmsClient.UserId).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(meeting.Participants.Select(p => p.UserId).Order(), byUser.Keys.Order());
        foreach (var (userId, own) in byUser)
        {
            Assert.Equal(meeting.Participants.Single(p => p.UserId == userId).Name, (string)own[0]["content"]!["user_name"]!);
            var timestamps = own.Select(RawRtmsClient.Timestamp).ToList();
            // Each speaker's own 20 ms timeline: later packets only, whole packets apart (a packet the test reader was too
            // slow to take may be dropped by the simulator's bounded send queue, as Zoom drops for a slow client).
            Assert.All(timestamps.Zip(timestamps.Skip(1)), pair => Assert.True(
                pair.Second > pair.First && (pair.Second - pair.First) % 20 == 0, $"{pair.First} -> {pair.Second}"));
        }
        // Different people, different voices.
        Assert.Equal(byUser.Count, byUser.Values.Select(p => Convert.ToBase64String(RawRtmsClient.Data(p[0]))).Distinct().Count());

        var muted = meeting.Participants[1];
        await meeting.SetMutedAsync(muted.UserId, muted: true);
        var mutedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // A keep-alive stamped after the mute was queued after it: everything before it is out of the way.
        await session.Media.ReadUntilAsync(m => RawRtmsClient.MsgType(m) == 12 && (long)m["timestamp"]! > mutedAt, 1, "a keep-alive sent after the mute");
        var after = await session.Media.CollectAsync(IsAudio, 20, "audio after mute");
        Assert.DoesNotContain(after, p => RawRtmsClient.UserId(p) == muted.UserId);
    }

    [Fact]
    public async Task Mixed_audio_has_user_id_0_and_stops_when_everyone_is_muted()
    {
        await using var session = await _harness.StreamingAsync();
        var meeting = session.Meeting;
        foreach (var participant in meeting.Participants)
        {
            await meeting.SetMutedAsync(participant.UserId, muted: true);
        }
        await session.Media.ReadUntilPingsAsync(1); // what was queued before
        var sent = meeting.Counters.AudioFramesSent;
        var quiet = await session.Media.ReadUntilPingsAsync(3);
        Assert.DoesNotContain(quiet, IsAudio);
        Assert.DoesNotContain(quiet, p => RawRtmsClient.MsgType(p) == 17); // muted people say nothing
        Assert.Equal(sent, meeting.Counters.AudioFramesSent);
        await meeting.SetMutedAsync(meeting.Participants[2].UserId, muted: false);
        var back = await session.Media.ExpectAsync(14);
        Assert.Equal(0, RawRtmsClient.UserId(back));
        Assert.Null(back["content"]!["user_name"]);
    }

    [Fact]
    public async Task A_wav_file_is_the_voice_sliced_in_order_from_the_start_of_the_stream()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sim-voice-{Guid.NewGuid():N}.wav");
        var samples = Enumerable.Range(0, 16_000).Select(i => (short)((i * 37 % 20_000) - 10_000)).ToArray();
        await File.WriteAllBytesAsync(path, Wav(samples, 16_000));
        try
        {
            var options = SimulatorHarness.FastMeeting();
            options.AudioWavPath = path;
            await using var session = await _harness.StreamingAsync(options);
            var packets = new List<JsonObject> { await session.Media.ExpectAsync(m => IsAudio(m), "first audio") };
            packets.AddRange(await session.Media.CollectAsync(IsAudio, 2, "audio"));
            // Buffered from rtms_started: the first packet is the first 20 ms of the file.
            var pcm = packets.SelectMany(RawRtmsClient.Data).ToArray();
            var expected = samples.Take(pcm.Length / 2).SelectMany(s => BitConverter.GetBytes(s)).ToArray();
            Assert.Equal(expected, pcm);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task An_espeak_ng_recording_can_be_the_voice()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sim-espeak-{Guid.NewGuid():N}.wav");
        using (var espeak = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("espeak-ng", ["-w", path, "Hello from the simulated meeting."]) { RedirectStandardError = true }))
        {
            if (espeak is null)
            {
                return;
            }
            await espeak.WaitForExitAsync();
        }
        try
        {
            var options = SimulatorHarness.FastMeeting();
            options.AudioWavPath = path;
            await using var session = await _harness.StreamingAsync(options);
            var packets = await session.Media.CollectAsync(IsAudio, 25, "audio");
            var pcm = packets.SelectMany(RawRtmsClient.Data).ToArray();
            Assert.Equal(25 * 640, pcm.Length);
            Assert.True(Enumerable.Range(0, pcm.Length / 2).Max(i => Math.Abs((int)BinaryPrimitives.ReadInt16LittleEndian(pcm.AsSpan(i * 2)))) > 500, "speech is not silent");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Send_stamps_are_embedded_in_audio_and_jpeg_frames()
    {
        await using var harness = await SimulatorHarness.StartAsync(o => o.EmbedSendTimestamps = true);
        await using var session = await harness.StreamingAsync();
        var audio = RawRtmsClient.Data(await session.Media.ExpectAsync(14));
        Assert.Equal("RTMSTS01"u8.ToArray(), audio[..8]);
        Assert.True(SendStamp.TryRead(audio, out var audioSent));
        Assert.InRange(DateTimeOffset.UtcNow - audioSent, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        var jpeg = RawRtmsClient.Data(await session.Media.ExpectAsync(15));
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        Assert.Equal([0xFF, 0xD9], jpeg[^2..]);
        Assert.True(SendStamp.TryRead(jpeg, out var videoSent));
        Assert.InRange(DateTimeOffset.UtcNow - videoSent, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.False(SendStamp.TryRead(new byte[640], out _));
    }

    [Fact]
    public async Task Video_frames_are_distinct_jpegs_at_the_negotiated_fps_and_stop_when_video_is_off()
    {
        await using var session = await _harness.StreamingAsync(mediaParams: Params("""{"video":{"codec":5,"fps":4}}"""));
        var meeting = session.Meeting;
        var frames = await session.Media.CollectAsync(m => RawRtmsClient.MsgType(m) == 15, 4, "video");
        var timestamps = frames.Select(RawRtmsClient.Timestamp).ToList();
        // 4 fps: 250 ms apart, or more when a loaded machine made the pacing loop miss a period (video is not buffered,
        // as in Zoom: a missed frame is skipped, never sent late or faster to catch up).
        Assert.All(timestamps.Zip(timestamps.Skip(1)), pair => Assert.True(pair.Second - pair.First >= 250, $"{pair.First} -> {pair.Second}"));
        Assert.Contains(timestamps.Zip(timestamps.Skip(1)), pair => pair.Second - pair.First == 250);
        Assert.Equal(frames.Count, frames.Select(f => Convert.ToBase64String(RawRtmsClient.Data(f))).Distinct().Count());
        Assert.All(frames, f => Assert.Equal([0xFF, 0xD9], RawRtmsClient.Data(f)[^2..]));

        foreach (var participant in meeting.Participants)
        {
            await meeting.SetVideoAsync(participant.UserId, on: false);
        }
        Assert.Equal(9, (int)(await session.Signaling.ExpectEventAsync(9))["event"]!["event_type"]!);
        await session.Media.ReadUntilPingsAsync(1);
        Assert.DoesNotContain(await session.Media.ReadUntilPingsAsync(4), m => RawRtmsClient.MsgType(m) == 15);
        var on = meeting.Participants[1];
        await meeting.SetVideoAsync(on.UserId, on: true);
        var video = await session.Media.ExpectAsync(15);
        Assert.Equal(on.UserId, RawRtmsClient.UserId(video));
    }

    [Fact]
    public async Task Individual_video_needs_data_opt_4_and_follows_the_subscription()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        var (video, _) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "video", 2, Params("""{"video":{"data_opt":4,"fps":5}}"""));
        await using var v = video;
        await meeting.WaitForAsync(c => c.ClientReadyAcks == 1);
        Assert.DoesNotContain(await video.ReadUntilPingsAsync(3), m => RawRtmsClient.MsgType(m) == 15); // nobody subscribed

        var target = meeting.Participants[2];
        await signaling.SendAsync(new JsonObject { ["msg_type"] = 28, ["user_id"] = target.UserId, ["subscribe"] = true, ["timestamp"] = 1 });
        var answer = await signaling.ExpectAsync(29);
        Assert.Equal((0, target.UserId), ((int)answer["status_code"]!, (long)answer["user_id"]!));
        Assert.All(await video.CollectAsync(m => RawRtmsClient.MsgType(m) == 15, 3, "video"), f => Assert.Equal(target.UserId, RawRtmsClient.UserId(f)));

        await signaling.SendAsync(new JsonObject { ["msg_type"] = 28, ["user_id"] = target.UserId, ["subscribe"] = true, ["timestamp"] = 2 });
        Assert.Equal(44, (int)(await signaling.ExpectAsync(29))["status_code"]!); // duplicate subscription
        var other = meeting.Participants[0];
        await signaling.SendAsync(new JsonObject { ["msg_type"] = 28, ["user_id"] = other.UserId, ["subscribe"] = true, ["timestamp"] = 3 });
        Assert.Equal(0, (int)(await signaling.ExpectAsync(29))["status_code"]!);
        await video.ExpectAsync(m => RawRtmsClient.MsgType(m) == 15 && RawRtmsClient.UserId(m) == other.UserId, "the new subscription's video");
    }

    [Fact]
    public async Task Video_subscription_without_data_opt_4_is_refused()
    {
        await using var session = await _harness.StreamingAsync();
        await session.Signaling.SendAsync(new JsonObject { ["msg_type"] = 28, ["user_id"] = session.Meeting.Participants[0].UserId, ["subscribe"] = true, ["timestamp"] = 1 });
        Assert.Equal(29, (int)(await session.Signaling.ExpectAsync(29))["status_code"]!);
    }

    [Fact]
    public async Task Screen_share_frames_flow_only_while_someone_shares()
    {
        await using var session = await _harness.StreamingAsync(mediaParams: Params("""{"deskshare":{"codec":5,"fps":1}}"""));
        var meeting = session.Meeting;
        Assert.DoesNotContain(await session.Media.ReadUntilPingsAsync(3), m => RawRtmsClient.MsgType(m) == 16);
        var sharer = meeting.Participants[1];
        await meeting.StartSharingAsync(sharer);
        var start = await session.Signaling.ExpectEventAsync(5);
        Assert.Equal((sharer.UserId, sharer.Name), ((long)start["event"]!["user_id"]!, (string)start["event"]!["user_name"]!));
        var frames = await session.Media.CollectAsync(m => RawRtmsClient.MsgType(m) == 16, 2, "share");
        Assert.All(frames, f => Assert.Equal((sharer.UserId, sharer.Name), (RawRtmsClient.UserId(f), (string)f["content"]!["user_name"]!)));
        Assert.Equal(1000, RawRtmsClient.Timestamp(frames[1]) - RawRtmsClient.Timestamp(frames[0])); // JPG share: 1 fps at most (§4.3)
        await meeting.StopSharingAsync();
        await session.Signaling.ExpectEventAsync(6);
        await session.Media.ReadUntilPingsAsync(1);
        Assert.DoesNotContain(await session.Media.ReadUntilPingsAsync(4), m => RawRtmsClient.MsgType(m) == 16);
    }

    private static byte[] Wav(short[] samples, int rate)
    {
        var data = samples.SelectMany(s => BitConverter.GetBytes(s)).ToArray();
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write("RIFF"u8);
        w.Write(36 + data.Length);
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)1);
        w.Write((short)1);
        w.Write(rate);
        w.Write(rate * 2);
        w.Write((short)2);
        w.Write((short)16);
        w.Write("data"u8);
        w.Write(data.Length);
        w.Write(data);
        w.Flush();
        return stream.ToArray();
    }
}
