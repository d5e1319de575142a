using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator.Tests;

/// <summary>Webhook delivery as Zoom does it (§2.5, §2.6): a late answer is a failure, failed webhooks can be
/// redelivered, and body layouts that only a raw-bytes signature check survives.</summary>
public sealed class WebhookDeliveryTests
{
    [Fact]
    public async Task An_answer_later_than_the_response_timeout_counts_as_a_failure()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), new SimulatorOptions { ClientId = "c", ClientSecret = "s", WebhookSecretToken = "w" }.WebhookResponseTimeout);
        await using var harness = await SimulatorHarness.StartAsync(o => o.WebhookResponseTimeout = TimeSpan.FromMilliseconds(300));
        var meeting = harness.Simulator.AddMeeting(SimulatorHarness.FastMeeting());
        harness.Inbox.Delay = TimeSpan.FromSeconds(2);
        Assert.Equal((HttpStatusCode)0, await meeting.StartAsync());
        await harness.Inbox.ExpectAsync("rtms_started", meeting.StreamId); // it did arrive, the answer was just too late
        Assert.Equal(1, harness.Simulator.Counters.WebhookFailures);
        harness.Inbox.Delay = TimeSpan.FromMilliseconds(20);
        Assert.Equal(HttpStatusCode.OK, await meeting.StopAsync(StopReason.MeetingEnded));
        Assert.Equal(1, harness.Simulator.Counters.WebhookFailures);
        Assert.Equal(0, meeting.Counters.WebhookRedeliveries); // no redelivery unless configured
    }

    [Fact]
    public async Task A_failed_webhook_is_redelivered_with_the_same_body_until_acknowledged()
    {
        var delays = new[] { TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50) };
        await using var harness = await SimulatorHarness.StartAsync(o => o.WebhookRedeliveryDelays = delays);
        harness.Inbox.Answers.Enqueue(HttpStatusCode.InternalServerError);
        harness.Inbox.Answers.Enqueue(HttpStatusCode.ServiceUnavailable);
        var meeting = harness.Simulator.AddMeeting(SimulatorHarness.FastMeeting());
        Assert.Equal(HttpStatusCode.InternalServerError, await meeting.StartAsync());
        using var timeout = new CancellationTokenSource(RawRtmsClient.Timeout);
        await meeting.WaitForAsync(c => c.WebhookRedeliveriesPending == 0, timeout.Token);
        Assert.Equal((2, 1), (meeting.Counters.WebhookRedeliveries, meeting.Counters.WebhookRedeliveriesAcknowledged));
        var deliveries = harness.Inbox.Drain().FindAll(w => w.Event == "meeting.rtms_started");
        Assert.Equal(3, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(deliveries[0].Raw, d.Raw)); // same event_ts: receivers can deduplicate
        Assert.All(deliveries, d => Assert.Equal(RtmsGateway.Protocol.Webhooks.WebhookSignatureResult.Valid, d.Signature));
    }

    [Fact]
    public async Task Redelivery_gives_up_after_the_last_delay()
    {
        await using var harness = await SimulatorHarness.StartAsync(o => o.WebhookRedeliveryDelays = [TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(30)]);
        harness.Inbox.Answer = HttpStatusCode.BadGateway;
        var meeting = harness.Simulator.AddMeeting(SimulatorHarness.FastMeeting());
        await meeting.StartAsync();
        using var timeout = new CancellationTokenSource(RawRtmsClient.Timeout);
        await meeting.WaitForAsync(c => c.WebhookRedeliveriesPending == 0, timeout.Token);
        Assert.Equal((2, 0), (meeting.Counters.WebhookRedeliveries, meeting.Counters.WebhookRedeliveriesAcknowledged));
        Assert.Equal(3, harness.Inbox.Drain().Count(w => w.Event == "meeting.rtms_started"));
    }

    [Theory]
    [InlineData(WebhookBodyStyle.Whitespace)]
    [InlineData(WebhookBodyStyle.ReorderedKeys)]
    [InlineData(WebhookBodyStyle.NonAscii)]
    [InlineData(WebhookBodyStyle.Whitespace | WebhookBodyStyle.ReorderedKeys | WebhookBodyStyle.NonAscii)]
    public async Task Unusual_body_layouts_are_signed_over_the_raw_bytes_and_defeat_re_serialization(WebhookBodyStyle style)
    {
        await using var harness = await SimulatorHarness.StartAsync(o => o.WebhookBodyStyle = style);
        var (meeting, started) = await harness.StartMeetingAsync();
        var raw = Encoding.UTF8.GetString(started.Raw);
        Assert.Equal(Sign(started.Timestamp, started.Raw), started.SignatureHeader);
        // What a receiver that parses into its model and re-serializes before verifying would sign: no longer a match.
        var parsed = JsonNode.Parse(started.Raw)!.AsObject();
        var model = new JsonObject { ["event"] = parsed["event"]!.DeepClone(), ["event_ts"] = parsed["event_ts"]!.DeepClone(), ["payload"] = parsed["payload"]!.DeepClone() };
        var reserialized = Encoding.UTF8.GetBytes(model.ToJsonString());
        Assert.NotEqual(started.SignatureHeader, Sign(started.Timestamp, reserialized));
        Assert.Equal(meeting.StreamId, (string)started.Field("rtms_stream_id")!);
        if (style.HasFlag(WebhookBodyStyle.Whitespace))
        {
            Assert.Contains("\n", raw, StringComparison.Ordinal);
            Assert.Contains("\": ", raw, StringComparison.Ordinal);
        }
        if (style.HasFlag(WebhookBodyStyle.ReorderedKeys))
        {
            Assert.Equal(["payload", "event_ts", "event"], started.Body.Select(p => p.Key));
        }
        if (style.HasFlag(WebhookBodyStyle.NonAscii))
        {
            Assert.Contains(meeting.Options.Topic, raw, StringComparison.Ordinal);
            Assert.DoesNotContain("\\u", raw, StringComparison.Ordinal);
            Assert.Equal(meeting.Options.Topic, (string)started.Field("topic")!);
        }
    }

    [Fact]
    public async Task The_default_body_is_compact_in_the_documented_key_order_without_topic()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var (_, started) = await harness.StartMeetingAsync();
        Assert.Equal(["event", "event_ts", "payload"], started.Body.Select(p => p.Key));
        Assert.DoesNotContain("\n", Encoding.UTF8.GetString(started.Raw), StringComparison.Ordinal);
        Assert.Null(started.Field("topic"));
    }

    private static string Sign(string timestamp, byte[] body)
    {
        var message = Encoding.UTF8.GetBytes($"v0:{timestamp}:").Concat(body).ToArray();
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SimulatorHarness.WebhookSecret), message));
    }
}
