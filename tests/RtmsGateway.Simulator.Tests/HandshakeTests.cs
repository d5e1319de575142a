using System.Net.WebSockets;
using System.Text.Json.Nodes;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Simulator.Tests;

/// <summary>The handshakes of §3–§4 against a client written from the reference: every media type, unified and split
/// mode, and each refusal with Zoom's status code followed by a close with 1000.</summary>
public sealed class HandshakeTests : IAsyncLifetime
{
    private SimulatorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Unified_mode_delivers_audio_video_share_transcripts_and_events_after_the_ack()
    {
        var options = SimulatorHarness.FastMeeting();
        options.TranscriptLines = ["Good morning.", "Shall we start?"];
        var (meeting, started) = await _harness.StartMeetingAsync(options);
        Assert.Equal(WebhookSignatureResult.Valid, started.Signature);
        Assert.Equal(meeting.StreamId, (string)started.Field("rtms_stream_id")!);
        Assert.Equal(meeting.InstanceId, (string)started.Field("meeting_uuid")!);
        Assert.Equal(_harness.Simulator.SignalingUri.ToString(), (string)started.Field("server_urls")!);
        Assert.StartsWith("ws://127.0.0.1:", (string)started.Field("server_urls")!, StringComparison.Ordinal);

        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        Assert.Equal(0, (int)response["status_code"]!);
        var urls = response["media_server"]!["server_urls"]!.AsObject();
        Assert.Equal(["all", "audio", "transcript", "video"], urls.Select(p => p.Key).Order());
        Assert.All(urls, u => Assert.StartsWith($"{_harness.Simulator.BaseUri.ToString().Replace("http", "ws", StringComparison.Ordinal)}media/", (string)u.Value!, StringComparison.Ordinal));

        var (media, dataResponse) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "all", 32);
        await using var m = media;
        Assert.Equal(0, (int)dataResponse["status_code"]!);
        var effective = dataResponse["media_params"]!;
        Assert.Equal((2, 1, 1, 1, 1, 20), ((int)effective["audio"]!["content_type"]!, (int)effective["audio"]!["sample_rate"]!, (int)effective["audio"]!["channel"]!,
            (int)effective["audio"]!["codec"]!, (int)effective["audio"]!["data_opt"]!, (int)effective["audio"]!["send_rate"]!));
        Assert.Equal((3, 5, 2, 3, 5), ((int)effective["video"]!["content_type"]!, (int)effective["video"]!["codec"]!, (int)effective["video"]!["resolution"]!,
            (int)effective["video"]!["data_opt"]!, (int)effective["video"]!["fps"]!));
        Assert.Equal((5, 9), ((int)effective["transcript"]!["content_type"]!, (int)effective["transcript"]!["src_language"]!));
        Assert.NotNull(effective["deskshare"]);

        var audio = await media.ExpectAsync(14);
        Assert.Equal(640, RawRtmsClient.Data(audio).Length); // 16 kHz mono L16, 20 ms
        Assert.Equal(640, (int)audio["content"]!["length"]!);
        Assert.Equal(0, RawRtmsClient.UserId(audio));
        Assert.Null(audio["content"]!["user_name"]);

        var video = await media.ExpectAsync(15);
        var jpeg = RawRtmsClient.Data(video);
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        Assert.Equal([0xFF, 0xD9], jpeg[^2..]);
        Assert.Equal(jpeg.Length, (int)video["content"]!["length"]!);
        Assert.Contains((string)video["content"]!["user_name"]!, meeting.Participants.Select(p => p.Name));

        var transcript = await media.ExpectAsync(17);
        var content = transcript["content"]!;
        Assert.Contains((string)content["data"]!, options.TranscriptLines);
        Assert.Contains((long)content["user_id"]!, meeting.Participants.Select(p => p.UserId));
        Assert.Equal(9, (int)content["language"]!);
        Assert.True((long)content["start_time"]! < (long)content["end_time"]!);
        Assert.Equal((long)content["start_time"]!, (long)content["timestamp"]!);

        await meeting.StartSharingAsync();
        var share = await media.ExpectAsync(16);
        Assert.Equal([0xFF, 0xD8], RawRtmsClient.Data(share)[..2]);
        Assert.Equal(meeting.Participants[0].UserId, RawRtmsClient.UserId(share));

        Assert.Equal(1, (int)(await signaling.ExpectAsync(8))["state"]!); // ACTIVE
        Assert.Equal(2, (int)(await signaling.ExpectAsync(9))["state"]!); // session STARTED
        var first = await signaling.ExpectEventAsync(1);
        Assert.Equal((long)started.Body["event_ts"]!, (long)first["event"]!["timestamp"]!, tolerance: 1000);
        var join = await signaling.ExpectEventAsync(3);
        Assert.Equal(meeting.Participants.Select(p => p.Name), join["event"]!["participants"]!.AsArray().Select(p => (string)p!["user_name"]!));
        await meeting.WaitForAsync(c => c.KeepAlivesAnswered >= 4);
        Assert.Equal(0, meeting.Counters.KeepAlivesMissed);
        Assert.Equal(MeetingState.Streaming, meeting.State);
        await meeting.WaitForStreamingAsync();
    }

    [Fact]
    public async Task Split_mode_uses_one_socket_and_one_ack_per_media_type()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        var (audio, audioResponse) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "audio", 1);
        var (video, videoResponse) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "video", 2);
        var (transcripts, transcriptResponse) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "transcript", 8);
        await using var a = audio;
        await using var v = video;
        await using var t = transcripts;
        Assert.NotNull(audioResponse["media_params"]!["audio"]);
        Assert.Null(audioResponse["media_params"]!["video"]);
        Assert.NotNull(videoResponse["media_params"]!["video"]);
        Assert.NotNull(transcriptResponse["media_params"]!["transcript"]);

        Assert.Equal(14, RawRtmsClient.MsgType(await audio.ExpectAsync(14)));
        Assert.Equal(15, RawRtmsClient.MsgType(await video.ExpectAsync(15)));
        Assert.Equal(17, RawRtmsClient.MsgType(await transcripts.ExpectAsync(17)));
        await meeting.WaitForStreamingAsync();
        Assert.Equal(3, meeting.Counters.ClientReadyAcks);
        Assert.Equal(3, meeting.Counters.LiveMediaConnections);
        // Each socket only carries its own type.
        Assert.DoesNotContain(await audio.CollectAsync(TimeSpan.FromMilliseconds(300)), x => RawRtmsClient.MsgType(x) is 15 or 16 or 17);
    }

    [Fact]
    public async Task Media_flows_only_after_the_client_ready_ack()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        var (media, dataResponse) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "audio", 1, ack: false);
        await using var m = media;
        Assert.Equal(0, (int)dataResponse["status_code"]!);
        var beforeAck = await media.ReadUntilPingsAsync(2); // media sockets are pinged too
        Assert.DoesNotContain(beforeAck, x => RawRtmsClient.MsgType(x) == 14);
        await signaling.SendAsync(new JsonObject { ["msg_type"] = 7, ["rtms_stream_id"] = meeting.StreamId });
        await media.ExpectAsync(14);
    }

    [Fact]
    public async Task A_client_ready_ack_for_another_stream_does_not_start_media()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        var (media, dataResponse) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "audio", 1, ack: false);
        await using var m = media;
        Assert.Equal(0, (int)dataResponse["status_code"]!);
        await signaling.SendAsync(new JsonObject { ["msg_type"] = 7, ["rtms_stream_id"] = "0000000000000000000000000000dead" });
        var afterWrongAck = await signaling.RoundTripAsync(meeting.StreamId); // the wrong ACK was processed
        Assert.Equal(0, (int)afterWrongAck[^1]["state"]!);                    // the stream is not active (1) yet...
        Assert.DoesNotContain(afterWrongAck, x => RawRtmsClient.MsgType(x) is 8 or 9); // ...nor announced as such
        var beforeAck = await media.ReadUntilPingsAsync(2);
        Assert.DoesNotContain(beforeAck, x => RawRtmsClient.MsgType(x) == 14);
        Assert.Equal(0, meeting.Counters.ClientReadyAcks);
        Assert.NotEqual(MeetingState.Streaming, meeting.State);
        await signaling.SendAsync(new JsonObject { ["msg_type"] = 7, ["rtms_stream_id"] = meeting.StreamId });
        await media.ExpectAsync(14);
        Assert.Equal(1, meeting.Counters.ClientReadyAcks);
    }

    [Theory]
    [InlineData("wrong-signature", null, 3)]
    [InlineData(null, "0000000000000000000000000000dead", 2)]
    public async Task Bad_signaling_handshakes_get_the_documented_status_then_a_normal_close(string? signature, string? streamId, int expected)
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        await using var client = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri);
        await client.SendAsync(SimulatorHarness.SignalingRequest(meeting, signature, streamId));
        var response = await client.ExpectAsync(2);
        Assert.Equal(expected, (int)response["status_code"]!);
        Assert.False(string.IsNullOrEmpty((string?)response["reason"]));
        Assert.Null(response["media_server"]);
        await client.Closed.WaitAsync(RawRtmsClient.Timeout);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        Assert.Equal(0, meeting.Counters.LiveSignalingConnections);
        Assert.True(_harness.Simulator.Counters.HandshakeFailures >= 1);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(2)]
    [InlineData(0)]
    public async Task A_handshake_without_protocol_version_1_gets_4(int? version)
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        await using (var signaling = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri))
        {
            var request = SimulatorHarness.SignalingRequest(meeting);
            SetVersion(request, version);
            await signaling.SendAsync(request);
            var response = await signaling.ExpectAsync(2);
            Assert.Equal(4, (int)response["status_code"]!);
            Assert.Null(response["media_server"]);
            await signaling.Closed.WaitAsync(RawRtmsClient.Timeout);
        }
        Assert.Equal(0, meeting.Counters.LiveSignalingConnections);
        var (good, goodResponse) = await _harness.SignalAsync(meeting);
        await using var g = good;
        await using var media = await RawRtmsClient.ConnectAsync(new Uri((string)goodResponse["media_server"]!["server_urls"]!["audio"]!));
        var data = SimulatorHarness.DataRequest(meeting, 1);
        SetVersion(data, version);
        await media.SendAsync(data);
        Assert.Equal(4, (int)(await media.ExpectAsync(4))["status_code"]!);
        await media.Closed.WaitAsync(RawRtmsClient.Timeout);
        Assert.Equal(0, meeting.Counters.LiveMediaConnections);

        static void SetVersion(JsonObject request, int? version)
        {
            if (version is { } v)
            {
                request["protocol_version"] = v;
            }
            else
            {
                request.Remove("protocol_version");
            }
        }
    }

    [Fact]
    public async Task Upper_case_hex_signatures_are_refused_with_3()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var upper = RawRtmsClient.Sign(SimulatorHarness.ClientId, SimulatorHarness.ClientSecret, meeting.InstanceId, meeting.StreamId).ToUpperInvariant();
        await using (var signaling = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri))
        {
            await signaling.SendAsync(SimulatorHarness.SignalingRequest(meeting, signature: upper));
            Assert.Equal(3, (int)(await signaling.ExpectAsync(2))["status_code"]!);
        }
        var (good, response) = await _harness.SignalAsync(meeting);
        await using var g = good;
        await using var media = await RawRtmsClient.ConnectAsync(new Uri((string)response["media_server"]!["server_urls"]!["audio"]!));
        await media.SendAsync(SimulatorHarness.DataRequest(meeting, 1, signature: upper));
        Assert.Equal(3, (int)(await media.ExpectAsync(4))["status_code"]!);
    }

    [Fact]
    public async Task A_signature_for_another_meeting_uuid_is_invalid()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        await using var client = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri);
        var request = SimulatorHarness.SignalingRequest(meeting, RawRtmsClient.Sign(SimulatorHarness.ClientId, SimulatorHarness.ClientSecret, "other==", meeting.StreamId));
        request["meeting_uuid"] = "other==";
        await client.SendAsync(request);
        Assert.Equal(3, (int)(await client.ExpectAsync(2))["status_code"]!);
    }

    [Fact]
    public async Task A_wrong_or_unreadable_first_message_gets_1_or_4()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        await using (var wrongType = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri))
        {
            await wrongType.SendAsync(SimulatorHarness.DataRequest(meeting, 1));
            Assert.Equal(1, (int)(await wrongType.ExpectAsync(2))["status_code"]!);
        }
        await using (var garbage = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri))
        {
            await garbage.SendRawAsync("{\"msg_type\": 1, ");
            Assert.Equal(4, (int)(await garbage.ExpectAsync(2))["status_code"]!);
            await garbage.Closed.WaitAsync(RawRtmsClient.Timeout);
            Assert.Equal(WebSocketCloseStatus.NormalClosure, garbage.CloseStatus);
        }
        await using (var noSignature = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri))
        {
            var request = SimulatorHarness.SignalingRequest(meeting);
            request.Remove("signature");
            await noSignature.SendAsync(request);
            Assert.Equal(4, (int)(await noSignature.ExpectAsync(2))["status_code"]!);
        }
        var media = new Uri(_harness.Simulator.BaseUri.ToString().Replace("http", "ws", StringComparison.Ordinal) + "media/audio");
        await using (var signalingOnMedia = await RawRtmsClient.ConnectAsync(media))
        {
            await signalingOnMedia.SendAsync(SimulatorHarness.SignalingRequest(meeting));
            Assert.Equal(1, (int)(await signalingOnMedia.ExpectAsync(4))["status_code"]!);
        }
        Assert.Equal(0, meeting.Counters.LiveSignalingConnections);
    }

    [Fact]
    public async Task With_the_binary_and_fragment_faults_on_handshake_responses_are_binary_fragmented_frames()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        meeting.Faults.BinaryFrames = true;
        meeting.Faults.FragmentFrames = true;
        await using var signaling = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri);
        await signaling.SendAsync(SimulatorHarness.SignalingRequest(meeting));
        var response = await signaling.ExpectAsync(2); // the first message on the socket
        Assert.Equal(0, (int)response["status_code"]!);
        Assert.Equal((1, 1), (signaling.BinaryMessages, signaling.FragmentedMessages));
        await using var media = await RawRtmsClient.ConnectAsync(new Uri((string)response["media_server"]!["server_urls"]!["audio"]!));
        await media.SendAsync(SimulatorHarness.DataRequest(meeting, 1, signature: new string('a', 64)));
        Assert.Equal(3, (int)(await media.ExpectAsync(4))["status_code"]!); // a refusal too
        Assert.Equal((1, 1), (media.BinaryMessages, media.FragmentedMessages));
    }

    [Fact]
    public async Task Handshakes_in_binary_fragmented_frames_are_accepted()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        await using var signaling = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri);
        await signaling.SendAsync(SimulatorHarness.SignalingRequest(meeting), binary: true, fragments: 4);
        var response = await signaling.ExpectAsync(2);
        Assert.Equal(0, (int)response["status_code"]!);
        await using var media = await RawRtmsClient.ConnectAsync(new Uri((string)response["media_server"]!["server_urls"]!["audio"]!));
        await media.SendAsync(SimulatorHarness.DataRequest(meeting, 1), binary: false, fragments: 3);
        Assert.Equal(0, (int)(await media.ExpectAsync(4))["status_code"]!);
        await signaling.SendAsync(new JsonObject { ["msg_type"] = 7, ["rtms_stream_id"] = meeting.StreamId }, binary: true, fragments: 2);
        await media.ExpectAsync(14);
    }

    [Theory]
    [InlineData("""{"audio":{"codec":4,"sample_rate":1}}""", 1, 20)] // Opus needs 48 kHz
    [InlineData("""{"audio":{"codec":5}}""", 1, 22)]                 // JPG is not an audio codec
    [InlineData("""{"audio":{"content_type":3}}""", 1, 19)]
    [InlineData("""{"audio":{"channel":3}}""", 1, 21)]
    [InlineData("""{"audio":{"data_opt":3}}""", 1, 23)]
    [InlineData("""{"audio":{"send_rate":30}}""", 1, 24)]
    [InlineData("""{"video":{"content_type":2}}""", 2, 26)]
    [InlineData("""{"video":{"codec":1}}""", 2, 27)]
    [InlineData("""{"video":{"resolution":9}}""", 2, 28)]
    [InlineData("""{"video":{"data_opt":1}}""", 2, 29)]
    [InlineData("""{"video":{"codec":5,"fps":12}}""", 2, 30)]         // JPG at most 5 fps
    [InlineData("""{"deskshare":{"codec":2}}""", 4, 33)]
    [InlineData("""{"deskshare":{"codec":5,"fps":2}}""", 4, 35)]     // JPG screen share at most 1 fps (§4.3, §8)
    [InlineData("""{"deskshare":{"codec":6,"fps":5}}""", 4, 35)]     // PNG too
    [InlineData("""{"transcript":{"content_type":2}}""", 8, 37)]
    [InlineData("""{"chat":{"content_type":1}}""", 16, 39)]
    public async Task Bad_media_params_get_their_status_code_then_a_normal_close(string mediaParams, int mediaType, int expected)
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        var (media, dataResponse) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "all", mediaType, JsonNode.Parse(mediaParams)!.AsObject());
        await using var m = media;
        Assert.Equal(expected, (int)dataResponse["status_code"]!);
        await media.Closed.WaitAsync(RawRtmsClient.Timeout);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, media.CloseStatus);
        Assert.Equal(0, meeting.Counters.LiveMediaConnections);
        Assert.Equal(1, meeting.Counters.LiveSignalingConnections);
    }

    [Theory]
    [InlineData(0, 14)]
    [InlineData(64, 14)]
    [InlineData(32 | 1, 14)]  // ALL is a value of its own, not a bit to combine (§4.2)
    [InlineData(32 | 8 | 16, 14)]
    public async Task Invalid_media_type_values_get_14(int mediaType, int expected)
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        var (media, dataResponse) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "all", mediaType);
        await using var m = media;
        Assert.Equal(expected, (int)dataResponse["status_code"]!);
    }

    [Fact]
    public async Task A_media_handshake_with_a_bad_signature_gets_3()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        await using var media = await RawRtmsClient.ConnectAsync(new Uri((string)response["media_server"]!["server_urls"]!["audio"]!));
        await media.SendAsync(SimulatorHarness.DataRequest(meeting, 1, signature: new string('a', 64)));
        Assert.Equal(3, (int)(await media.ExpectAsync(4))["status_code"]!);
        await media.Closed.WaitAsync(RawRtmsClient.Timeout);
    }

    [Fact]
    public async Task Duplicate_signaling_is_refused_with_8_and_flagged_and_duplicate_media_with_15_and_16()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;

        await using var second = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri);
        await second.SendAsync(SimulatorHarness.SignalingRequest(meeting));
        var refused = await second.ExpectAsync(2);
        Assert.Equal(8, (int)refused["status_code"]!);
        Assert.Contains("duplicate signal request", (string)refused["reason"]!, StringComparison.Ordinal);
        await second.Closed.WaitAsync(RawRtmsClient.Timeout);
        Assert.Equal((2, 1, 1), (meeting.Counters.SignalingHandshakes, meeting.Counters.DuplicatesFlagged, meeting.Counters.LiveSignalingConnections));
        Assert.Equal(1, _harness.Simulator.Counters.DuplicateSignalingFlagged);

        var (audio, _) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "audio", 1);
        await using var a = audio;
        var (again, sameType) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "audio", 9);
        await using var b = again;
        Assert.Equal(16, (int)sameType["status_code"]!);
        var (all, allResponse) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "all", 32);
        await using var c = all;
        Assert.Equal(15, (int)allResponse["status_code"]!);
        // The first connection is untouched.
        await audio.ExpectAsync(14);
    }

    [Fact]
    public async Task In_kick_out_mode_a_second_signaling_connection_replaces_the_first()
    {
        await using var harness = await SimulatorHarness.StartAsync(o => o.DuplicateSignaling = DuplicateSignalingMode.KickOutFirst);
        var (meeting, _) = await harness.StartMeetingAsync();
        var (first, response) = await harness.SignalAsync(meeting);
        await using var f = first;
        var (media, _) = await SimulatorHarness.MediaAsync(meeting, first, response, "all", 32);
        await using var m = media;
        await media.ExpectAsync(14);

        var (second, secondResponse) = await harness.SignalAsync(meeting);
        await using var s2 = second;
        Assert.Equal(0, (int)secondResponse["status_code"]!);
        await first.Closed.WaitAsync(RawRtmsClient.Timeout);
        await media.Closed.WaitAsync(RawRtmsClient.Timeout);
        Assert.Equal((1, 1), (meeting.Counters.DuplicatesFlagged, meeting.Counters.LiveSignalingConnections));

        var (media2, _) = await SimulatorHarness.MediaAsync(meeting, second, secondResponse, "all", 32);
        await using var m2 = media2;
        await media2.ExpectAsync(14);
    }

    [Fact]
    public async Task Unknown_media_paths_are_404_and_handshakes_for_unstarted_or_stopped_streams_get_2()
    {
        using var http = new HttpClient();
        var notFound = await http.GetAsync(new Uri(_harness.Simulator.BaseUri, "/media/everything"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, notFound.StatusCode);

        var notStarted = _harness.Simulator.AddMeeting();
        await using (var client = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri))
        {
            await client.SendAsync(SimulatorHarness.SignalingRequest(notStarted));
            Assert.Equal(2, (int)(await client.ExpectAsync(2))["status_code"]!);
        }
        var (stopped, _) = await _harness.StartMeetingAsync();
        await stopped.StopAsync(RtmsGateway.Protocol.StopReason.MeetingEnded);
        await using (var client = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri))
        {
            await client.SendAsync(SimulatorHarness.SignalingRequest(stopped));
            Assert.Equal(2, (int)(await client.ExpectAsync(2))["status_code"]!);
        }
    }
}
