using System.Net.WebSockets;
using System.Text.Json.Nodes;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator.Tests;

/// <summary>App scopes (§2.3, §4.2): types outside them are refused with 9–13, ALL (32) delivers only the allowed ones, and
/// the signaling handshake offers media URLs only for allowed types.</summary>
public sealed class AppScopeTests : IAsyncLifetime
{
    private const MediaDataType NoShareNoChat = MediaDataType.Audio | MediaDataType.Video | MediaDataType.Transcript;
    private SimulatorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static MeetingOptions Scoped(MediaDataType scopes)
    {
        var options = SimulatorHarness.FastMeeting();
        options.AppScopes = scopes;
        options.ChatInterval = TimeSpan.FromMilliseconds(50);
        return options;
    }

    private static string[] UrlKeys(JsonObject signalingResponse) =>
        [.. signalingResponse["media_server"]!["server_urls"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData(4, 11)]       // deskshare
    [InlineData(16, 13)]      // chat
    [InlineData(1 | 4, 11)]   // audio is allowed, deskshare is the first refused type
    [InlineData(4 | 16, 11)]  // the first refused type of the request
    [InlineData(2 | 16, 13)]
    public async Task A_type_outside_the_scopes_is_refused_with_its_not_supported_status(int mediaType, int expected)
    {
        var (meeting, _) = await _harness.StartMeetingAsync(Scoped(NoShareNoChat));
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        var (media, dataResponse) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "all", mediaType);
        await using var m = media;
        Assert.Equal(expected, (int)dataResponse["status_code"]!);
        Assert.False(string.IsNullOrEmpty((string?)dataResponse["reason"]));
        await media.Closed.WaitAsync(RawRtmsClient.Timeout);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, media.CloseStatus);
        Assert.Equal((1, 0), (meeting.Counters.MediaRefused, meeting.Counters.LiveMediaConnections));
    }

    [Fact]
    public async Task Allowed_types_are_accepted_and_only_their_urls_are_offered()
    {
        var (meeting, _) = await _harness.StartMeetingAsync(Scoped(MediaDataType.Audio | MediaDataType.Transcript));
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        Assert.Equal(["all", "audio", "transcript"], UrlKeys(response));
        var (refused, videoResponse) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "all", 2);
        await using var r = refused;
        Assert.Equal(10, (int)videoResponse["status_code"]!);
        var (media, dataResponse) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "audio", 1 | 8);
        await using var m = media;
        Assert.Equal(0, (int)dataResponse["status_code"]!);
        await media.ExpectAsync(14);
        await media.ExpectAsync(17);
    }

    [Fact]
    public async Task All_is_accepted_and_delivers_only_the_allowed_types()
    {
        var (meeting, _) = await _harness.StartMeetingAsync(Scoped(NoShareNoChat));
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        Assert.Equal(["all", "audio", "transcript", "video"], UrlKeys(response));
        var (media, dataResponse) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "all", 32);
        await using var m = media;
        Assert.Equal(0, (int)dataResponse["status_code"]!);
        var echoed = dataResponse["media_params"]!.AsObject();
        Assert.Equal(["audio", "transcript", "video"], echoed.Select(p => p.Key).Order(StringComparer.Ordinal));
        await meeting.StartSharingAsync();
        // Several transcripts and chat intervals pass while someone shares: no share frame (16) nor chat message (18) on the way.
        var seen = await media.ReadUntilAsync(x => RawRtmsClient.MsgType(x) == 17, 4, "transcript");
        Assert.Contains(seen, x => RawRtmsClient.MsgType(x) == 14);
        Assert.Contains(seen, x => RawRtmsClient.MsgType(x) == 15);
        Assert.DoesNotContain(seen, x => RawRtmsClient.MsgType(x) is 16 or 18);
        Assert.Equal((0, 0), (meeting.Counters.ShareFramesSent, meeting.Counters.ChatMessagesSent));
    }

    [Fact]
    public async Task Simulator_wide_scopes_apply_to_meetings_without_their_own()
    {
        await using var harness = await SimulatorHarness.StartAsync(o => o.AppScopes = MediaDataType.Audio);
        var (meeting, _) = await harness.StartMeetingAsync();
        var (signaling, response) = await harness.SignalAsync(meeting);
        await using var s = signaling;
        Assert.Equal(["all", "audio"], UrlKeys(response));
        var (media, dataResponse) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "all", 8);
        await using var m = media;
        Assert.Equal(12, (int)dataResponse["status_code"]!);
    }

    [Fact]
    public async Task By_default_every_type_is_in_scope()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        Assert.Equal(["all", "audio", "transcript", "video"], UrlKeys(response));
        var (media, dataResponse) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "all", 1 | 2 | 4 | 8 | 16);
        await using var m = media;
        Assert.Equal(0, (int)dataResponse["status_code"]!);
    }
}
