using RtmsGateway.Protocol;
using RtmsGateway.Protocol.Webhooks;
using RtmsGateway.Simulator.Cli;

namespace RtmsGateway.Simulator.Tests;

/// <summary>The command line: meetings against a webhook URL, a fault script, and a clean end.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task The_cli_starts_meetings_runs_the_script_and_stops_them_at_the_end()
    {
        await using var inbox = await WebhookInbox.StartAsync("cli-secret");
        var code = await SimulatorCommand.RunAsync(
        [
            "--gateway", inbox.Url.ToString(), "--meetings", "2", "--duration", "1500ms", "--keepalive", "200ms",
            "--client-id", "cli-client", "--client-secret", "cli-client-secret", "--webhook-secret", "cli-secret",
            "--validate", "--nested-payload", "--product", "webinar",
            "--fault", "300ms:pause@1", "--fault", "600ms:stop=8@0", "--stop-reason", "MeetingEnded",
        ]);
        Assert.Equal(0, code);
        var validation = await inbox.ExpectAsync(UrlValidation.EventName);
        Assert.Equal(WebhookSignatureResult.Valid, validation.Signature);
        var first = await inbox.ExpectAsync("webinar.rtms_started");
        var second = await inbox.ExpectAsync("webinar.rtms_started");
        Assert.NotNull(first.Body["payload"]!["object"]);
        var stops = new[] { await inbox.ExpectAsync("webinar.rtms_stopped"), await inbox.ExpectAsync("webinar.rtms_stopped") };
        Assert.Equal(
            new Dictionary<string, int> { [(string)first.Field("rtms_stream_id")!] = 8, [(string)second.Field("rtms_stream_id")!] = 6 },
            stops.ToDictionary(w => (string)w.Field("rtms_stream_id")!, w => (int)w.Field("stop_reason")!));
        Assert.All(stops, w => Assert.Equal(WebhookSignatureResult.Valid, w.Signature));
    }

    [Fact]
    public async Task Variants_body_styles_and_redelivery_flags_shape_the_webhooks()
    {
        await using var inbox = await WebhookInbox.StartAsync("cli-secret");
        inbox.Answers.Enqueue(System.Net.HttpStatusCode.InternalServerError); // the first rtms_started fails: redelivered
        var code = await SimulatorCommand.RunAsync(
        [
            "--gateway", inbox.Url.ToString(), "--duration", "300ms", "--webhook-secret", "cli-secret", "--product", "webinar",
            "--variants", "webinar-meeting-uuid,multiple-urls", "--body-style", "whitespace,reordered", "--redeliver", "50ms",
            "--scopes", "audio,transcript",
        ]);
        Assert.Equal(0, code);
        var started = await inbox.ExpectAsync("webinar.rtms_started");
        var redelivered = await inbox.ExpectAsync("webinar.rtms_started");
        Assert.Equal(started.Raw, redelivered.Raw);
        Assert.All(new[] { started, redelivered }, w => Assert.Equal(WebhookSignatureResult.Valid, w.Signature));
        var text = System.Text.Encoding.UTF8.GetString(started.Raw);
        Assert.Contains('\n', text);                                     // whitespace
        Assert.StartsWith("\"payload\"", text.TrimStart('{', ' ', '\r', '\n')); // reordered keys: payload first
        Assert.NotNull(started.Field("meeting_uuid"));                   // webinar-meeting-uuid
        Assert.Null(started.Field("webinar_uuid"));
        var urls = ((string)started.Field("server_urls")!).Split(',');   // multiple-urls, the WebSocket entry last
        Assert.True(urls.Length > 1);
        Assert.StartsWith("ws://", urls[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void List_flags_parse_into_options()
    {
        Assert.Equal(MediaDataType.Audio | MediaDataType.Transcript, CliLists.Scopes("audio, transcript"));
        Assert.Equal(AppScopes.Everything, CliLists.Scopes(null));
        Assert.Equal(WebhookBodyStyle.Whitespace | WebhookBodyStyle.NonAscii, CliLists.BodyStyle("whitespace,non-ascii"));
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20)], CliLists.Redeliveries("5s,20ms"));
        Assert.Equal(SimulatorOptions.ZoomWebhookRedeliveryDelays, CliLists.Redeliveries("zoom"));
        Assert.Empty(CliLists.Redeliveries(null));
        var variants = CliLists.Variants("string-user-ids,payload-encrypted");
        Assert.Equal((true, true, false, false, false), (variants.UserIdsAsStrings, variants.PayloadEncryptedFlag, variants.SessionStopAsReason, variants.WebinarMeetingUuid, variants.MultipleServerUrls));
        var all = CliLists.Variants("all");
        Assert.True(all.PayloadEncryptedFlag && all.SessionStopAsReason && all.WebinarMeetingUuid && all.UserIdsAsStrings && all.MultipleServerUrls);
    }

    [Theory]
    [InlineData("--variants", "unicode-ids")]
    [InlineData("--body-style", "pretty")]
    [InlineData("--scopes", "audio,smell")]
    [InlineData("--redeliver", "soon")]
    [InlineData("--meetings", "many")]
    [InlineData("--fault", "5s:explode")]
    [InlineData("--fault", "drop-signaling")]
    [InlineData("stray")]
    public async Task Bad_arguments_print_the_usage_and_exit_2(params string[] args) =>
        Assert.Equal(2, await SimulatorCommand.RunAsync(args));

    [Fact]
    public async Task Help_exits_0() => Assert.Equal(0, await SimulatorCommand.RunAsync(["--help"]));

    [Theory]
    [InlineData("5s:drop-signaling", 5000, "drop-signaling", null, null)]
    [InlineData("250ms:drop-media=audio@2", 250, "drop-media", "audio", 2)]
    [InlineData("1m:stop=6", 60000, "stop", "6", null)]
    [InlineData("00:00:01:stop-pings=media", 1000, "stop-pings", "media", null)]
    public void Fault_scripts_parse(string text, int atMs, string kind, string? argument, int? meeting)
    {
        var fault = ScriptedFault.Parse(text);
        Assert.Equal((TimeSpan.FromMilliseconds(atMs), kind, argument, meeting), (fault.At, fault.Kind, fault.Argument, fault.Meeting));
    }

    [Fact]
    public async Task Every_scripted_fault_kind_applies_to_a_live_meeting()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        await using var session = await harness.StreamingAsync();
        string[] script =
        [
            "0s:fragment", "0s:fragment=off", "0s:binary", "0s:binary=off", "0s:malformed", "0s:bad-base64", "0s:stop-pings=signaling",
            "0s:resume-pings", "0s:join=Zed", "0s:leave", "0s:share", "0s:unshare", "0s:mute", "0s:unmute", "0s:video-off", "0s:video-on",
            "0s:pause", "0s:resume", "0s:drop-media=video", "0s:duplicate", "0s:drop-signaling", "0s:failover", "0s:stop=HostTriggered",
        ];
        foreach (var fault in script.Select(ScriptedFault.Parse))
        {
            await fault.ApplyAsync(session.Meeting, CancellationToken.None);
        }
        Assert.Equal(MeetingState.Stopped, session.Meeting.State);
        Assert.Equal((int)StopReason.HostTriggered, (int)(await harness.Inbox.ExpectAsync("rtms_stopped", session.Meeting.StreamId)).Field("stop_reason")!);
    }
}
