using System.Diagnostics;
using Grpc.Core;
using RtmsGateway.Api.V1;
using RtmsGateway.Observability;
using RtmsGateway.Protocol;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>
/// What Zoom may answer that the gateway cannot use: a handshake response without <c>status_code</c> ends the stream at once
/// with a clear error (no retrying until the give-up), and a media socket whose payloads Zoom encrypts is never forwarded
/// (its type is given up, loudly, without a reconnect loop); a connection that cannot be opened is logged with its cause.
/// </summary>
public sealed class ProtocolViolationTests
{
    /// <summary>Far below the 3-minute give-up: ending "fast" means one attempt and no backoff.</summary>
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(10);

    private static readonly Dictionary<string, string?> Split = new() { ["Rtms:MediaConnectionMode"] = "Split" };

    private static SubscriptionTarget Waiting(SimulatedMeeting meeting) => new() { RtmsStreamId = meeting.StreamId, FromStart = true, WaitForStart = true };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_handshake_response_without_a_status_code_ends_the_stream_at_once_with_a_clear_error(bool signaling)
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        var meeting = gateway.Simulator.AddMeeting();
        meeting.Faults.AnswerHandshakesWithoutStatus(signaling, data: !signaling);
        using var events = gateway.Client.SubscribeEvents(new SubscribeEventsRequest { Target = Waiting(meeting) }, deadline: DateTime.UtcNow.AddSeconds(30));
        var clock = Stopwatch.StartNew();

        await meeting.StartAsync(CancellationToken.None);
        var tail = await StreamReading.ReadToEndAsync(events.ResponseStream, Fast);

        Assert.True(clock.Elapsed < Fast, $"ended after {clock.Elapsed}");
        var ended = tail.Last().Ended;
        Assert.NotNull(ended);
        Assert.Contains("status_code", ended.Description, StringComparison.Ordinal);
        Assert.Contains(signaling ? "Signaling" : "Data", ended.Description, StringComparison.Ordinal);
        // One handshake, refused, never retried.
        Assert.Equal(1, signaling ? meeting.Counters.SignalingHandshakes : meeting.Counters.MediaHandshakes);
        Assert.Equal(1, meeting.Counters.SignalingHandshakes);
        var refused = await gateway.Logs.WaitForAsync(l => l.EventId.Id == (signaling ? LogEventIds.HandshakeRefused : LogEventIds.MediaFailed));
        Assert.Contains("status_code", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_encrypted_media_type_is_never_forwarded_the_error_is_visible_and_the_others_keep_flowing()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(settings: Split);
        var meeting = gateway.Simulator.AddMeeting(new MeetingOptions { TranscriptInterval = TimeSpan.FromMilliseconds(200) });
        meeting.Faults.EncryptedPayloads = MediaDataType.Video;
        using var events = gateway.Client.SubscribeEvents(new SubscribeEventsRequest { Target = Waiting(meeting) });
        using var video = gateway.Client.SubscribeVideo(new SubscribeVideoRequest { Target = Waiting(meeting) });
        using var audio = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Waiting(meeting) });

        await meeting.StartAsync(CancellationToken.None);
        var notice = await StreamReading.ReadAsync(events.ResponseStream, 1, r => r.Event?.UpstreamStateChanged?.Detail.Contains("payload_encrypted", StringComparison.Ordinal) == true);
        Assert.Contains("Video", notice.Last().Event.UpstreamStateChanged.Detail, StringComparison.Ordinal);
        var logged = await gateway.Logs.WaitForAsync(l => l.EventId.Id == LogEventIds.MediaUnavailable);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, logged.Level);
        Assert.Contains("payload_encrypted", logged.Message, StringComparison.Ordinal);

        // Audio flows meanwhile; the encrypted socket is not reopened (one video handshake, then nothing).
        var handshakes = meeting.Counters.MediaHandshakes;
        Assert.Equal(40, (await StreamReading.ReadAsync(audio.ResponseStream, 40, r => r.Frame is not null)).Count(r => r.Frame is not null));
        Assert.Equal(handshakes, meeting.Counters.MediaHandshakes);
        var session = (await gateway.Client.ListSessionsAsync(new ListSessionsRequest())).Sessions.Single();
        Assert.Equal(SessionState.Streaming, session.State);
        Assert.False(session.Media.Video);
        Assert.True(session.Media.Audio);
        Assert.Equal(0u, session.Reconnects);
        // No video frame reached the subscriber: within a window in which audio delivered 20 more frames, nothing arrived.
        var nothing = video.ResponseStream.MoveNext(new CancellationTokenSource(TimeSpan.FromSeconds(1)).Token);
        await StreamReading.ReadAsync(audio.ResponseStream, 20, r => r.Frame is not null);
        var moved = await Assert.ThrowsAnyAsync<Exception>(() => nothing);
        Assert.True(moved is OperationCanceledException || moved is RpcException { StatusCode: global::Grpc.Core.StatusCode.Cancelled }, moved.ToString());
    }

    [Fact]
    public async Task An_encrypted_unified_socket_ends_the_stream_with_a_clear_error_instead_of_waiting_for_media()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        var meeting = gateway.Simulator.AddMeeting();
        meeting.Faults.EncryptedPayloads = MediaDataType.Audio;
        using var events = gateway.Client.SubscribeEvents(new SubscribeEventsRequest { Target = Waiting(meeting) }, deadline: DateTime.UtcNow.AddSeconds(30));

        await meeting.StartAsync(CancellationToken.None);
        var tail = await StreamReading.ReadToEndAsync(events.ResponseStream, Fast);

        Assert.Contains("payload_encrypted", tail.Last().Ended.Description, StringComparison.Ordinal);
        Assert.Equal(1, meeting.Counters.MediaHandshakes);
        Assert.DoesNotContain(tail, r => r.Event?.UpstreamStateChanged?.State == SessionState.Streaming);
    }

    [Fact]
    public async Task A_connection_that_cannot_be_opened_is_logged_with_every_inner_cause()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        // Nothing listens there: the socket layer refuses the connection under HttpRequestException under WebSocketException.
        var nowhere = $"ws://127.0.0.1:{FreePort.Next()}/signaling";
        var body = ZoomWebhooks.Started("instance-refused==", "0123456789abcdef0123456789abcdef", nowhere, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        using var response = await ZoomWebhooks.PostAsync(gateway.Http, gateway.WebhookUrl, body);
        Assert.True(response.IsSuccessStatusCode);

        var line = await gateway.Logs.WaitForAsync(l => l.EventId.Id == LogEventIds.SignalingFailed);

        Assert.Contains("Unable to connect", line.Message, StringComparison.Ordinal);
        Assert.Contains("HttpRequestException", line.Message, StringComparison.Ordinal);
        Assert.Contains("SocketException ConnectionRefused", line.Message, StringComparison.Ordinal);
    }
}
