using Grpc.Core;
using RtmsGateway.Api.V1;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>
/// Every refusal a client can meet carries a machine-readable google.rpc.Status (AIP-193): a stable reason in the
/// gateway's domain, retry advice only where retrying helps, and the request field at fault.
/// </summary>
public sealed class ErrorDetailsTests
{
    private static readonly Dictionary<string, string?> OneSubscriber = new() { ["Fanout:MaxSubscribersPerSession"] = "1" };

    [Fact]
    public async Task Each_refusal_names_its_reason_field_and_retry_advice()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(settings: OneSubscriber);
        var meeting = await gateway.StartMeetingAsync();
        var client = gateway.Client;

        var unknown = ErrorDetails.Of(await ErrorDetails.FirstErrorAsync(client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { RtmsStreamId = "no-such-stream" } })));
        Assert.Equal(("SESSION_NOT_FOUND", "rtms.gateway.v1"), (unknown.Reason, unknown.Domain));
        Assert.Equal("no-such-stream", unknown.Metadata["rtms_stream_id"]);
        Assert.Null(unknown.RetryDelay); // the same call would fail again
        Assert.Null(unknown.Resume);

        var empty = await ErrorDetails.FirstErrorAsync(client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = new SubscriptionTarget() }));
        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);
        Assert.Equal("INVALID_TARGET", ErrorDetails.Of(empty).Reason);
        Assert.Equal(["target.rtms_stream_id"], ErrorDetails.Of(empty).BadFields);

        var epochZero = new SubscriptionTarget { RtmsStreamId = meeting.StreamId, ResumeAfterSequence = 5 };
        var invalidResume = ErrorDetails.Of(await ErrorDetails.FirstErrorAsync(client.SubscribeEvents(new SubscribeEventsRequest { Target = epochZero })));
        Assert.Equal("INVALID_RESUME_POINT", invalidResume.Reason);
        Assert.Equal(["target.resume_after_sequence"], invalidResume.BadFields);

        var future = new SubscriptionTarget { RtmsStreamId = meeting.StreamId, ResumeAfterSequence = (5 * 1_000_000_000_000UL) + 1 };
        var futureError = await ErrorDetails.FirstErrorAsync(client.SubscribeEvents(new SubscribeEventsRequest { Target = future }));
        Assert.Equal(StatusCode.OutOfRange, futureError.StatusCode);
        Assert.Equal("FUTURE_RESUME_POINT", ErrorDetails.Of(futureError).Reason);

        var target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId };
        using var holder = client.SubscribeAudio(new SubscribeAudioRequest { Target = target });
        Assert.True(await holder.ResponseStream.MoveNext(CancellationToken.None));
        var full = await ErrorDetails.FirstErrorAsync(client.SubscribeAudio(new SubscribeAudioRequest { Target = target }));
        Assert.Equal(StatusCode.ResourceExhausted, full.StatusCode);
        var limit = ErrorDetails.Of(full);
        Assert.Equal("SUBSCRIBER_LIMIT", limit.Reason);
        Assert.Equal(("audio", meeting.StreamId), (limit.Metadata["channel"], limit.Metadata["rtms_stream_id"]));
        Assert.True(limit.RetryDelay >= TimeSpan.FromSeconds(1), "a full session is not worth an immediate retry");
    }

    [Fact]
    public async Task A_subscription_named_by_instance_resumes_at_the_stream_it_resolved_to_after_a_drain()
    {
        var gateway = await GatewayUnderTest.StartAsync();
        try
        {
            var meeting = await gateway.StartMeetingAsync();
            using var audio = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { InstanceId = meeting.InstanceId } });
            var frames = await StreamReading.ReadAsync(audio.ResponseStream, 5, r => r.Frame is not null);

            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            var stop = gateway.App.StopAsync(stopping.Token);
            var error = await Assert.ThrowsAsync<RpcException>(() => StreamReading.ReadToEndAsync(audio.ResponseStream));
            await stop;

            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            var details = ErrorDetails.Of(error);
            Assert.Equal("DRAINING", details.Reason);
            Assert.NotNull(details.RetryDelay);
            Assert.NotNull(details.Resume);
            Assert.Equal(meeting.StreamId, details.Resume.RtmsStreamId);
            Assert.True(details.Resume.ResumeAfterSequence >= frames[^1].Frame.Header.Sequence);
            // The text trailer of older clients says the same.
            Assert.Equal(details.Resume.ResumeAfterSequence, Grpc.ResumeTrailer.Read(error.Trailers));
        }
        finally
        {
            await gateway.DisposeAsync();
        }
    }
}
