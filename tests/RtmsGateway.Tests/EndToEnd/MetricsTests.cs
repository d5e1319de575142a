using RtmsGateway.Api.V1;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>Prometheus scraping at /metrics exposes the gateway's own instruments with live values.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Frames_subscribers_and_webhooks_are_exported_for_prometheus()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        var meeting = await gateway.StartMeetingAsync();
        using var audio = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId } });
        await StreamReading.ReadAsync(audio.ResponseStream, 10, r => r.Frame is not null);

        var text = await gateway.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Matches("""rtms_gateway_frames_in_total\{[^}]*channel="audio"[^}]*\} [1-9]""", text);
        Assert.Matches("""rtms_gateway_messages_out_total\{[^}]*channel="audio"[^}]*\} [1-9]""", text);
        Assert.Matches("""rtms_gateway_subscribers\{[^}]*channel="audio"[^}]*\} 1""", text);
        Assert.Matches("""rtms_gateway_sessions\{[^}]*\} 1""", text);
        Assert.Matches("""rtms_gateway_webhooks_total\{[^}]*outcome="accepted"[^}]*\} 1""", text);
    }
}
