using System.Globalization;
using System.Net;
using System.Text;
using RtmsGateway.Protocol.Webhooks;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>The webhook endpoint verifies, limits and deduplicates; bad webhooks change nothing.</summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private GatewayUnderTest _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayUnderTest.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private static string StartedBody(SimulatedMeeting meeting, string signalingUrl) => ZoomWebhooks.Started(meeting.InstanceId, meeting.StreamId, signalingUrl);

    private Task<HttpResponseMessage> PostAsync(string body, string? secret = GatewayUnderTest.WebhookSecret, DateTimeOffset? at = null, string? signature = null) =>
        ZoomWebhooks.PostAsync(_gateway.Http, _gateway.WebhookUrl, body, secret, at, signature);

    [Fact]
    public async Task Url_validation_is_answered_with_the_hmac_of_the_token()
    {
        var result = await _gateway.Simulator.ValidateWebhookUrlAsync(CancellationToken.None);
        Assert.True(result.Succeeded, result.ToString());
    }

    [Fact]
    public async Task Unsigned_wrongly_signed_and_stale_webhooks_are_refused_and_start_nothing()
    {
        var meeting = _gateway.Simulator.AddMeeting();
        meeting.Begin();
        var body = StartedBody(meeting, _gateway.Simulator.SignalingUri.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(body, secret: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(body, secret: "not-the-secret")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(body, at: DateTimeOffset.UtcNow.AddMinutes(-10))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(body, signature: "v0=" + new string('0', 64))).StatusCode);
        var tampered = await PostAsync(body.Replace("\"op\"", "\"intruder\"", StringComparison.Ordinal), signature: WebhookSignature.Compute(GatewayUnderTest.WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), Encoding.UTF8.GetBytes(body)));
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);

        // A valid webhook afterwards proves the refused ones were not queued: the first signaling connection is this one.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(body)).StatusCode);
        await meeting.WaitForStreamingAsync(new CancellationTokenSource(StreamReading.DefaultTimeout).Token);
        Assert.Equal(1, meeting.Counters.SignalingHandshakes);
    }

    [Fact]
    public async Task Oversized_and_malformed_bodies_get_413_and_400()
    {
        var huge = "{\"event\":\"meeting.rtms_started\",\"payload\":{\"pad\":\"" + new string('a', 70_000) + "\"}}";
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostAsync(huge)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("{\"event\": \"meeting.rtms_started\", \"payload\": ")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("{\"event\":\"meeting.rtms_started\",\"payload\":{\"rtms_stream_id\":\"x\"}}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("[1,2,3]")).StatusCode);
        Assert.Empty((await _gateway.Client.ListSessionsAsync(new Api.V1.ListSessionsRequest { IncludeStopped = true })).Sessions);
    }

    [Fact]
    public async Task Events_the_gateway_does_not_handle_are_acknowledged()
    {
        var response = await PostAsync("{\"event\":\"meeting.started\",\"event_ts\":1,\"payload\":{\"object\":{\"id\":1}}}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Retried_rtms_started_deliveries_open_one_rtms_connection()
    {
        var meeting = _gateway.Simulator.AddMeeting();
        meeting.Begin();
        var body = StartedBody(meeting, _gateway.Simulator.SignalingUri.ToString());
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(body)).StatusCode);
        }
        await meeting.WaitForStreamingAsync(new CancellationTokenSource(StreamReading.DefaultTimeout).Token);
        // A later, unrelated webhook is processed after the retries: once it has taken effect, so have they.
        var marker = await _gateway.StartMeetingAsync();
        Assert.NotNull(marker);
        Assert.Equal(1, meeting.Counters.SignalingHandshakes);
        Assert.Equal(0, _gateway.Simulator.Counters.DuplicateSignalingFlagged);
    }

    [Fact]
    public async Task The_nested_payload_shape_and_millisecond_timestamps_are_accepted()
    {
        await using var nested = await GatewayUnderTest.StartAsync(o =>
        {
            o.WebhookPayloadShape = WebhookPayloadShape.Nested;
            o.WebhookTimestampUnit = WebhookTimestampUnit.Milliseconds;
        });
        var meeting = await nested.StartMeetingAsync();
        var sessions = await nested.Client.ListSessionsAsync(new Api.V1.ListSessionsRequest());
        Assert.Equal(meeting.StreamId, Assert.Single(sessions.Sessions).RtmsStreamId);
    }
}
