using System.Text.Json;
using System.Text.RegularExpressions;
using RtmsGateway.Api.V1;
using RtmsGateway.Testing;
using RtmsGateway.Protocol;
using RtmsGateway.Simulator;
using RtmsGateway.Tests.Deploy;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>
/// Prometheus scraping at /metrics exposes the gateway's own instruments with live values. The gateway runs in its own
/// process (with its embedded simulator) so no other test's instruments share its meter.
/// </summary>
public sealed partial class MetricsTests
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

    /// <summary>
    /// Every metric the shipped dashboard and alerts query is one a running gateway exports, from its first scrape
    /// (counters start at 0), so no panel stays empty and no alert waits for a series that never appears.
    /// </summary>
    [Fact]
    public async Task Every_metric_the_dashboard_and_the_alerts_query_is_exported()
    {
        var queried = await QueriedMetricsAsync();
        Assert.NotEmpty(queried);

        // In this process (the meeting can end, so the session-duration histogram has a sample too); other tests'
        // gateways may add to the same meter's series, which only adds names.
        await using var gateway = await GatewayUnderTest.StartAsync();
        var meeting = await gateway.StartMeetingAsync(new MeetingOptions { TranscriptInterval = TimeSpan.FromMilliseconds(200) });
        using (var audio = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId } }))
        {
            await StreamReading.ReadAsync(audio.ResponseStream, 3, r => r.Frame is not null);
        }
        using (var events = gateway.Client.SubscribeEvents(new SubscribeEventsRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId } }))
        {
            await meeting.StopAsync(StopReason.MeetingEnded);
            await StreamReading.ReadAsync(events.ResponseStream, 1, r => r.Ended is not null);
        }

        using var http = new HttpClient { BaseAddress = gateway.HttpUrl };
        var exported = ExportedNames(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        var missing = queried.Where(m => !exported.Contains(m)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"queried but not exported: {string.Join(", ", missing)}");
    }

    /// <summary>Metric names in the dashboard's and the rules' PromQL (each selector names its metric before "{").</summary>
    private static async Task<HashSet<string>> QueriedMetricsAsync()
    {
        var expressions = new List<string>();
        var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "k8s", "components", "monitoring", "dashboard.json"))).RootElement;
        expressions.AddRange(dashboard.GetProperty("panels").EnumerateArray().SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!));
        var docs = await KubernetesManifestTests.RenderAsync("production");
        var rules = KubernetesManifestTests.Named(docs, "PrometheusRule", "rtms-gateway").GetProperty("spec").GetProperty("groups");
        expressions.AddRange(rules.EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).Select(r => r.GetProperty("expr").GetString()!));
        // "up" is Prometheus' own, for every target.
        return [.. expressions.SelectMany(e => Selector().Matches(e).Select(m => m.Groups[1].Value)).Where(n => n != "up")];
    }

    private static HashSet<string> ExportedNames(string exposition) =>
        [.. exposition.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l[..l.IndexOfAny(['{', ' '])])];

    [GeneratedRegex(@"([a-zA-Z_:][a-zA-Z0-9_:]*)\{")]
    private static partial Regex Selector();
}
