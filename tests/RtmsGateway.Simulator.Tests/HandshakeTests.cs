using System.Net.WebSockets;
using System.Text.Json.Nodes;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Simulator.Tests;

/// <summary>The full handshake and every media type, against a client written from the reference.</summary>
public sealed class HandshakeTests : IAsyncLifetime
{
    private static readonly int[] FirstEvents = [1, 2, 3, 8];
    private SimulatorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Unified_mode_delivers_audio_video_transcripts_and_events_after_the_ack()
    {
        var (meeting, started) = await _harness.StartMeetingAsync();
        Assert.Equal(WebhookSignatureResult.Valid, started.Signature);
        Assert.Equal(meeting.StreamId, (string)started.Field("rtms_stream_id")!);
        Assert.Equal(meeting.InstanceId, (string)started.Field("meeting_uuid")!);
        Assert.StartsWith("ws://127.0.0.1:", (string)started.Field("server_urls")!, StringComparison.Ordinal);

        var (signaling, response) = await _harness.SignalAsync(meeting);
        Assert.Equal(0, (int)response["status_code"]!);
        var urls = response["media_server"]!["server_urls"]!.AsObject();
        Assert.Equal(["all", "audio", "transcript", "video"], urls.Select(p => p.Key).Order());

        await using var _ = signaling;
        var (media, dataResponse) = await _harness.MediaAsync(meeting, signaling, response, "all", 32);
        await using var __ = media;
        Assert.Equal(0, (int)dataResponse["status_code"]!);
        Assert.Equal(1, (int)dataResponse["media_params"]!["audio"]!["codec"]!);

        var audio = await media.ExpectAsync(14);
        var pcm = Convert.FromBase64String((string)audio["content"]!["data"]!);
        Assert.Equal(640, pcm.Length); // 16 kHz mono L16 for 20 ms
        Assert.Equal(640, (int)audio["content"]!["length"]!);
        Assert.Equal(0, (int)audio["content"]!["user_id"]!);
        var video = await media.ExpectAsync(15);
        var jpeg = Convert.FromBase64String((string)video["content"]!["data"]!);
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        Assert.Equal([0xFF, 0xD9], jpeg[^2..]);
        var transcript = await media.ExpectAsync(17);
        Assert.False(string.IsNullOrWhiteSpace((string?)transcript["content"]!["data"]));
        Assert.Contains((string)transcript["content"]!["user_name"]!, meeting.Participants.Select(p => p.Name));

        var join = await signaling.ExpectAsync(6);
        Assert.Contains((int)join["event"]!["event_type"]!, FirstEvents);
        await meeting.WaitForAsync(c => c.KeepAlivesAnswered >= 2, CancellationToken.None);
        Assert.Equal(0, meeting.Counters.KeepAlivesMissed);
    }

    [Fact]
    public async Task Split_mode_uses_one_socket_and_one_ack_per_media_type()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        var perSpeaker = new JsonObject { ["audio"] = new JsonObject { ["content_type"] = 2, ["codec"] = 1, ["sample_rate"] = 3, ["channel"] = 2, ["data_opt"] = 2, ["send_rate"] = 40 } };
        var (audio, audioResponse) = await _harness.MediaAsync(meeting, signaling, response, "audio", 1, perSpeaker);
        var (transcripts, _) = await _harness.MediaAsync(meeting, signaling, response, "transcript", 8);
        await using var a = audio;
        await using var t = transcripts;
        Assert.Equal(40, (int)audioResponse["media_params"]!["audio"]!["send_rate"]!);
        var frame = await audio.ExpectAsync(14);
        Assert.Equal(48000 * 2 * 2 * 40 / 1000, Convert.FromBase64String((string)frame["content"]!["data"]!).Length);
        Assert.NotEqual(0, (long)frame["content"]!["user_id"]!);
        Assert.NotNull((string?)frame["content"]!["user_name"]);
        Assert.Equal(17, (int)(await transcripts.ExpectAsync(17))["msg_type"]!);
        Assert.Equal(2, meeting.Counters.ClientReadyAcks);
    }

    [Theory]
    [InlineData("wrong-signature", null, 3)]
    [InlineData(null, "0000000000000000000000000000dead", 2)]
    public async Task Bad_signaling_handshakes_get_the_documented_status_then_close(string? signature, string? streamId, int expected)
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        await using var client = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri);
        await client.SendAsync(SimulatorHarness.SignalingRequest(meeting, signature, streamId));
        Assert.Equal(expected, (int)(await client.ExpectAsync(2))["status_code"]!);
        await client.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact]
    public async Task A_wrong_or_unreadable_first_message_gets_1_or_4()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        await using (var wrongType = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri))
        {
            await wrongType.SendAsync(new JsonObject { ["msg_type"] = 7, ["rtms_stream_id"] = meeting.StreamId });
            Assert.Equal(1, (int)(await wrongType.ExpectAsync(2))["status_code"]!);
        }
        await using (var garbage = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri))
        {
            await garbage.SendRawAsync("{\"msg_type\": 1, ");
            Assert.Equal(4, (int)(await garbage.ExpectAsync(2))["status_code"]!);
        }
        Assert.Equal(0, meeting.Counters.LiveSignalingConnections);
    }

    [Theory]
    [InlineData("""{"audio":{"codec":4,"sample_rate":1}}""", 1, 20)] // Opus needs 48 kHz
    [InlineData("""{"audio":{"codec":5}}""", 1, 22)]
    [InlineData("""{"audio":{"send_rate":30}}""", 1, 24)]
    [InlineData("""{"video":{"codec":5,"fps":12}}""", 2, 30)]
    [InlineData("""{"transcript":{"content_type":2}}""", 8, 37)]
    public async Task Bad_media_params_get_their_status_code(string mediaParams, int mediaType, int expected)
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        var (media, dataResponse) = await _harness.MediaAsync(meeting, signaling, response, "all", mediaType, JsonNode.Parse(mediaParams)!.AsObject());
        await using var m = media;
        Assert.Equal(expected, (int)dataResponse["status_code"]!);
    }

    [Fact]
    public async Task Duplicate_connections_are_refused_with_8_15_and_16()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;

        await using var second = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri);
        await second.SendAsync(SimulatorHarness.SignalingRequest(meeting));
        var refused = await second.ExpectAsync(2);
        Assert.Equal(8, (int)refused["status_code"]!);
        Assert.Contains("duplicate signal request", (string)refused["reason"]!, StringComparison.Ordinal);
        Assert.Equal(1, meeting.Counters.DuplicatesFlagged);

        var (audio, _) = await _harness.MediaAsync(meeting, signaling, response, "audio", 1);
        await using var a = audio;
        var (again, sameType) = await _harness.MediaAsync(meeting, signaling, response, "audio", 1);
        await using var b = again;
        Assert.Equal(16, (int)sameType["status_code"]!);
        var (all, allResponse) = await _harness.MediaAsync(meeting, signaling, response, "all", 32);
        await using var c = all;
        Assert.Equal(15, (int)allResponse["status_code"]!);
    }
}
