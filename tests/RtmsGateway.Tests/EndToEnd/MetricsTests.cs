using RtmsGateway.Api.V1;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>
/// Prometheus scraping at /metrics exposes the gateway's own instruments with live values. The gateway runs in its own
/// process (with its embedded simulator) so no other test's instruments share its meter.
/// </summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Frames_subscribers_sessions_and_webhooks_are_exported_for_prometheus()
    {
        await using var gateway = await GatewayReplica.StartAsync("metrics", new Dictionary<string, string?> { ["Simulation:TranscriptInterval"] = "00:00:00.250" });
        SessionInfo? session = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); session is null && DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            session = (await gateway.Client.ListSessionsAsync(new ListSessionsRequest())).Sessions.FirstOrDefault(s => s.State == SessionState.Streaming);
        }
        Assert.NotNull(session);
        using var audio = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { RtmsStreamId = session.RtmsStreamId } });
        await StreamReading.ReadAsync(audio.ResponseStream, 10, r => r.Frame is not null);

        using var http = new HttpClient { BaseAddress = gateway.HttpUrl };
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Matches("""rtms_gateway_frames_in_total\{[^}]*channel="audio"[^}]*\} [1-9]""", text);
        Assert.Matches("""rtms_gateway_messages_out_total\{[^}]*channel="audio"[^}]*\} [1-9]""", text);
        Assert.Matches("""rtms_gateway_subscribers\{[^}]*channel="audio"[^}]*\} 1""", text);
        Assert.Matches("""rtms_gateway_sessions\{[^}]*\} 1""", text);
        Assert.Matches("""rtms_gateway_webhooks_total\{[^}]*outcome="accepted"[^}]*\} 1""", text);
    }
}
