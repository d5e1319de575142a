using System.Text.Json;
using System.Text.Json.Nodes;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator.Tests;

/// <summary>Each documented alternative of §8 is emitted on the wire when a meeting asks for it (and only then).</summary>
public sealed class WireVariantTests : IAsyncLifetime
{
    private SimulatorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static MeetingOptions With(Action<WireVariants> set, SimulatedProduct product = SimulatedProduct.Meeting)
    {
        var options = SimulatorHarness.FastMeeting();
        options.Product = product;
        set(options.Variants);
        return options;
    }

    [Theory]
    [InlineData(false, "payload_encryption", "payload_encrypted")]
    [InlineData(true, "payload_encrypted", "payload_encryption")]
    public async Task The_data_handshake_encryption_flag_has_the_chosen_name(bool variant, string present, string absent)
    {
        var (meeting, _) = await _harness.StartMeetingAsync(With(v => v.PayloadEncryptedFlag = variant));
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        var (media, data) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "all", 32);
        await using var m = media;
        Assert.Equal(0, (int)data["status_code"]!);
        Assert.False((bool)data[present]!);
        Assert.False(data.ContainsKey(absent));
    }

    [Theory]
    [InlineData(false, "stop_reason", "reason")]
    [InlineData(true, "reason", "stop_reason")]
    public async Task The_session_stop_reason_has_the_chosen_name(bool variant, string present, string absent)
    {
        await using var session = await _harness.StreamingAsync(With(v => v.SessionStopAsReason = variant));
        await session.Meeting.StopAsync(StopReason.MeetingEnded);
        var stopped = await session.Signaling.ExpectAsync(m => RawRtmsClient.MsgType(m) == 9 && (int)m["state"]! == 5, "session STOPPED");
        Assert.Equal(6, (int)stopped[present]!);
        Assert.False(stopped.ContainsKey(absent));
    }

    [Theory]
    [InlineData(false, "webinar_uuid", "meeting_uuid")]
    [InlineData(true, "meeting_uuid", "webinar_uuid")]
    public async Task Webinar_webhooks_carry_the_chosen_uuid_field(bool variant, string present, string absent)
    {
        var (meeting, started) = await _harness.StartMeetingAsync(With(v => v.WebinarMeetingUuid = variant, SimulatedProduct.Webinar));
        Assert.Equal("webinar.rtms_started", started.Event);
        Assert.Equal(meeting.InstanceId, (string)started.Field(present)!);
        Assert.Null(started.Field(absent));
        await meeting.StopAsync(StopReason.MeetingEnded);
        var stopped = await _harness.Inbox.ExpectAsync("rtms_stopped", meeting.StreamId);
        Assert.Equal(meeting.InstanceId, (string)stopped.Field(present)!);
        Assert.Null(stopped.Field(absent));
    }

    [Fact]
    public async Task User_ids_can_be_json_strings_in_media_content_and_events()
    {
        var options = With(v => v.UserIdsAsStrings = true);
        await using var session = await _harness.StreamingAsync(options, mediaParams: new JsonObject { ["audio"] = new JsonObject { ["data_opt"] = 2 } });
        var meeting = session.Meeting;
        var ids = meeting.Participants.Select(p => p.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        await meeting.StartSharingAsync();
        foreach (var type in new[] { 14, 15, 16, 17 })
        {
            var message = await session.Media.ExpectAsync(type);
            var id = message["content"]!["user_id"]!;
            Assert.Equal(JsonValueKind.String, id.GetValueKind());
            Assert.Contains((string)id!, ids);
        }
        var join = await session.Signaling.ExpectEventAsync(3);
        Assert.All(join["event"]!["participants"]!.AsArray(), p => Assert.Equal(JsonValueKind.String, p!["user_id"]!.GetValueKind()));
        var share = await session.Signaling.ExpectEventAsync(5);
        Assert.Equal(ids[0], (string)share["event"]!["user_id"]!);
    }

    [Fact]
    public async Task User_ids_are_numbers_by_default()
    {
        await using var session = await _harness.StreamingAsync();
        Assert.Equal(JsonValueKind.Number, (await session.Media.ExpectAsync(14))["content"]!["user_id"]!.GetValueKind());
        Assert.Equal(JsonValueKind.Number, (await session.Media.ExpectAsync(17))["content"]!["user_id"]!.GetValueKind());
        var join = await session.Signaling.ExpectEventAsync(3);
        Assert.All(join["event"]!["participants"]!.AsArray(), p => Assert.Equal(JsonValueKind.Number, p!["user_id"]!.GetValueKind()));
    }

    [Fact]
    public async Task Server_urls_can_list_several_protocols_with_the_websocket_url_not_first()
    {
        var (meeting, started) = await _harness.StartMeetingAsync(With(v => v.MultipleServerUrls = true));
        var urls = ((string)started.Field("server_urls")!).Split(',');
        Assert.True(urls.Length >= 3);
        Assert.StartsWith("rtmp://", urls[0], StringComparison.Ordinal);
        Assert.Contains(urls, u => u.StartsWith("https://", StringComparison.Ordinal));
        var ws = Assert.Single(urls, u => u.StartsWith("ws://", StringComparison.Ordinal) || u.StartsWith("wss://", StringComparison.Ordinal));
        Assert.NotEqual(0, Array.IndexOf(urls, ws));
        Assert.Equal(_harness.Simulator.SignalingUri.ToString(), ws);
        // The ws entry is the signaling endpoint that works.
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        Assert.Equal(0, (int)response["status_code"]!);
    }
}
