using System.Net;
using System.Text;
using RtmsGateway.Protocol;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Simulator.Tests;

/// <summary>Webhooks as Zoom sends them (§2): signed over the raw body, both payload shapes and timestamp units, every
/// product's id fields, URL validation, and the receiver's HTTP status handed back to the caller.</summary>
public sealed class WebhookTests
{
    [Theory]
    [InlineData(WebhookPayloadShape.Flat, WebhookTimestampUnit.Seconds)]
    [InlineData(WebhookPayloadShape.Nested, WebhookTimestampUnit.Milliseconds)]
    [InlineData(WebhookPayloadShape.Nested, WebhookTimestampUnit.Seconds)]
    public async Task Webhooks_are_signed_in_both_shapes_and_units(WebhookPayloadShape shape, WebhookTimestampUnit unit)
    {
        await using var harness = await SimulatorHarness.StartAsync(o =>
        {
            o.WebhookPayloadShape = shape;
            o.WebhookTimestampUnit = unit;
        });
        var (meeting, started) = await harness.StartMeetingAsync();
        Assert.Equal(WebhookSignatureResult.Valid, started.Signature);
        Assert.Equal(unit == WebhookTimestampUnit.Milliseconds ? 13 : 10, started.Timestamp.Length);
        Assert.Equal("Zoom Marketplace/1.0a", started.UserAgent);
        Assert.Equal("application/json", started.ContentType);
        Assert.Equal(shape == WebhookPayloadShape.Nested, started.Body["payload"]!["object"] is not null);
        Assert.Equal(meeting.AccountId, (string)started.Body["payload"]!["account_id"]!);
        Assert.Equal("meeting.rtms_started", started.Event);
        Assert.InRange((long)started.Body["event_ts"]!, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        var parsed = ZoomWebhookParser.Parse(started.Raw);
        Assert.Equal(WebhookEventKind.RtmsStarted, parsed.Kind);
        Assert.Equal((meeting.InstanceId, meeting.StreamId, meeting.OperatorId), (parsed.InstanceId, parsed.RtmsStreamId, parsed.OperatorId));
        Assert.Equal((meeting.MeetingNumber, true), (parsed.MeetingId, parsed.IsOriginalHost));
        Assert.Equal(harness.Simulator.SignalingUri.ToString(), (string)started.Field("server_urls")!);

        await meeting.StopAsync(StopReason.HostDisabledApp);
        var stopped = await harness.Inbox.ExpectAsync("rtms_stopped", meeting.StreamId);
        Assert.Equal(WebhookSignatureResult.Valid, stopped.Signature);
        var stoppedParsed = ZoomWebhookParser.Parse(stopped.Raw);
        Assert.Equal((WebhookEventKind.RtmsStopped, StopReason.HostDisabledApp), (stoppedParsed.Kind, stoppedParsed.StopReason));
    }

    [Theory]
    [InlineData(SimulatedProduct.Webinar, "webinar", "webinar_uuid")]
    [InlineData(SimulatedProduct.VideoSdk, "session", "session_id")]
    [InlineData(SimulatedProduct.Meeting, "meeting", "meeting_uuid")]
    public async Task Each_product_has_its_event_names_and_id_field(SimulatedProduct product, string prefix, string idField)
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var (meeting, started) = await harness.StartMeetingAsync(new MeetingOptions { Product = product });
        Assert.Equal($"{prefix}.rtms_started", started.Event);
        Assert.Equal(meeting.InstanceId, (string)started.Field(idField)!);
        Assert.Equal(WebhookSignatureResult.Valid, started.Signature);
        if (product == SimulatedProduct.VideoSdk)
        {
            Assert.Equal(meeting.SessionKey, (string)started.Field("session_key")!);
            Assert.Null(started.Field("operator_id"));
        }
        else
        {
            Assert.Equal(meeting.OperatorId, (string)started.Field("operator_id")!);
        }
        if (product == SimulatedProduct.Webinar)
        {
            Assert.Equal(meeting.MeetingNumber, (long)started.Field("webinar_id")!);
        }
        Assert.Equal(meeting.InstanceId, ZoomWebhookParser.Parse(started.Raw).InstanceId);

        // The handshake signs with the product's instance id the same way (§3.2).
        var (signaling, response) = await harness.SignalAsync(meeting);
        await using var s = signaling;
        Assert.Equal(0, (int)response["status_code"]!);
        await meeting.Faults.DropSignalingAsync();
        var interrupted = await harness.Inbox.ExpectAsync("rtms_interrupted", meeting.StreamId);
        Assert.Equal($"{prefix}.rtms_interrupted", interrupted.Event);
        Assert.Equal(meeting.InstanceId, (string)interrupted.Field(idField)!);
    }

    [Fact]
    public async Task Url_validation_round_trip_succeeds_and_a_wrong_answer_is_detected()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var result = await harness.Simulator.ValidateWebhookUrlAsync();
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(HttpStatusCode.OK, result.Status);
        var challenge = await harness.Inbox.ExpectAsync(UrlValidation.EventName);
        Assert.Equal(result.PlainToken, (string)challenge.Body["payload"]!["plainToken"]!);
        Assert.True(UrlValidation.IsAcceptableToken(result.PlainToken));
        Assert.Equal(WebhookSignatureResult.Valid, challenge.Signature);
        Assert.Same(result, harness.Simulator.LastUrlValidation);

        harness.Inbox.ValidationSecret = "not-the-secret";
        var wrong = await harness.Simulator.ValidateWebhookUrlAsync();
        Assert.False(wrong.Succeeded);
        Assert.Contains("encryptedToken", wrong.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_receivers_http_status_is_returned_and_nothing_throws_without_a_receiver()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        harness.Inbox.Answer = HttpStatusCode.ServiceUnavailable;
        var meeting = harness.Simulator.AddMeeting();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await meeting.StartAsync());
        Assert.Equal(1, harness.Simulator.Counters.WebhookFailures);

        await using var deaf = await RtmsSimulator.StartAsync(new SimulatorOptions
        {
            ClientId = "c",
            ClientSecret = "s",
            WebhookSecretToken = "w",
            WebhookUrl = new Uri("http://127.0.0.1:9/nobody-listens"),
        });
        Assert.Equal((HttpStatusCode)0, await deaf.AddMeeting().StartAsync());
        Assert.False((await deaf.ValidateWebhookUrlAsync()).Succeeded);

        await using var none = await RtmsSimulator.StartAsync(new SimulatorOptions { ClientId = "c", ClientSecret = "s", WebhookSecretToken = "w" });
        Assert.Equal((HttpStatusCode)0, await none.AddMeeting().StartAsync());
    }

    [Fact]
    public async Task Odd_webhooks_can_be_sent_signed()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var meeting = harness.Simulator.AddMeeting();
        meeting.Begin();
        var status = await meeting.SendWebhookAsync("meeting.rtms_started", null, w => w.WriteString("extra_field", "surprise"));
        Assert.Equal(HttpStatusCode.OK, status);
        var started = await harness.Inbox.ExpectAsync("rtms_started", meeting.StreamId);
        Assert.Equal("surprise", (string)started.Field("extra_field")!);

        await meeting.SendWebhookAsync("rtms.concurrency_near_limit");
        Assert.Equal(WebhookSignatureResult.Valid, (await harness.Inbox.ExpectAsync("concurrency_near_limit")).Signature);

        Assert.Equal(HttpStatusCode.OK, await harness.Simulator.SendRawWebhookAsync("""{"event":"meeting.rtms_started","payload":{}}"""));
        var raw = await harness.Inbox.ExpectAsync(w => w.Body["payload"]!.AsObject().Count == 0, "raw webhook");
        Assert.Equal(WebhookSignatureResult.Valid, raw.Signature);
        Assert.Equal("""{"event":"meeting.rtms_started","payload":{}}""", Encoding.UTF8.GetString(raw.Raw));
    }
}
