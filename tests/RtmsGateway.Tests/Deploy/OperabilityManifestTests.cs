using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RtmsGateway.Testing;
using static RtmsGateway.Tests.Deploy.KubernetesManifestTests;

namespace RtmsGateway.Tests.Deploy;

/// <summary>
/// What a platform team needs from the rendered overlays to run the gateway as they are: the autoscaler alone owns
/// the replica count and scales on sessions as well as CPU, scale-down drains one pod at a time, replicas spread over
/// zones and nodes, CPU throttling cannot cost a lease, every image is pinned, and production ships its monitoring
/// (ServiceMonitor, alerts with runbooks, dashboard).
/// </summary>
public sealed partial class OperabilityManifestTests
{
    private const string GatewayName = "rtms-gateway";
    private static readonly string[] Severities = ["critical", "warning", "info"];

    private static JsonElement Spec(JsonElement doc) => doc.GetProperty("spec");

    private static bool Targets(JsonElement scaler, string kindProperty, string deployment) =>
        Spec(scaler).TryGetProperty(kindProperty, out var target) && StringOf(target, "name") == deployment;

    [Theory]
    [MemberData(nameof(Overlays), MemberType = typeof(KubernetesManifestTests))]
    public async Task The_autoscaler_alone_owns_the_replica_count(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var deployment = Spec(Named(docs, "Deployment", GatewayName));
        var scaled = docs.Any(d => (KindOf(d) == "HorizontalPodAutoscaler" && Targets(d, "scaleTargetRef", GatewayName))
                                   || (KindOf(d) == "ScaledObject" && Targets(d, "scaleTargetRef", GatewayName)));
        if (scaled)
        {
            // Every apply would reset what the autoscaler chose.
            Assert.False(deployment.TryGetProperty("replicas", out _), $"{overlay}: spec.replicas beside an autoscaler");
        }
        else
        {
            Assert.True(deployment.GetProperty("replicas").GetInt32() >= 1, $"{overlay}: without an autoscaler the Deployment sets its replicas");
        }
    }

    [Theory]
    [MemberData(nameof(ProductionVariants), MemberType = typeof(KubernetesManifestTests))]
    public async Task Production_scales_on_sessions_and_cpu_and_scales_down_one_pod_at_a_time(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var hpa = Spec(Named(docs, "HorizontalPodAutoscaler", GatewayName));
        var metrics = Items(hpa, "metrics");
        Assert.Contains(metrics, m => StringOf(m, "type") == "Pods"
            && m.GetProperty("pods").GetProperty("metric").GetProperty("name").GetString() == "rtms_gateway_sessions"
            && m.GetProperty("pods").GetProperty("target").GetProperty("type").GetString() == "AverageValue");
        Assert.Contains(metrics, m => StringOf(m, "type") == "Resource" && m.GetProperty("resource").GetProperty("name").GetString() == "cpu");
        Assert.True(hpa.GetProperty("minReplicas").GetInt32() >= 2, "one replica cannot take another's sessions over");

        // A removed pod drains (its sessions move within a lease TTL): one at a time, after load stayed lower a while.
        var down = hpa.GetProperty("behavior").GetProperty("scaleDown");
        Assert.True(down.GetProperty("stabilizationWindowSeconds").GetInt32() >= 300);
        Assert.All(Items(down, "policies"), p =>
        {
            Assert.Equal("Pods", StringOf(p, "type"));
            Assert.Equal(1, p.GetProperty("value").GetInt32());
            Assert.True(p.GetProperty("periodSeconds").GetInt32() >= KubernetesDrainSeconds(docs), "the next pod goes only after the previous one drained");
        });
        var pdb = Spec(Named(docs, "PodDisruptionBudget", GatewayName));
        Assert.Equal(1, pdb.GetProperty("maxUnavailable").GetInt32());
    }

    private static int KubernetesDrainSeconds(List<JsonElement> docs) =>
        GatewayPod(docs).GetProperty("spec").GetProperty("terminationGracePeriodSeconds").GetInt32();

    [Theory]
    [MemberData(nameof(ProductionVariants), MemberType = typeof(KubernetesManifestTests))]
    public async Task Replicas_spread_over_zones_and_nodes(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var pod = GatewayPod(docs);
        var podLabels = pod.GetProperty("metadata").GetProperty("labels");
        var constraints = Items(pod.GetProperty("spec"), "topologySpreadConstraints");
        foreach (var (key, when) in new[] { ("topology.kubernetes.io/zone", (string?)null), ("kubernetes.io/hostname", "DoNotSchedule") })
        {
            var constraint = constraints.SingleOrDefault(c => StringOf(c, "topologyKey") == key);
            Assert.True(constraint.ValueKind == JsonValueKind.Object, $"{overlay}: no spread over {key}");
            Assert.Equal(1, constraint.GetProperty("maxSkew").GetInt32());
            if (when is not null)
            {
                Assert.Equal(when, StringOf(constraint, "whenUnsatisfiable"));
            }
            // The constraint counts the gateway's own pods.
            foreach (var label in constraint.GetProperty("labelSelector").GetProperty("matchLabels").EnumerateObject())
            {
                Assert.Equal(label.Value.GetString(), StringOf(podLabels, label.Name));
            }
        }
    }

    [Theory]
    [MemberData(nameof(ProductionVariants), MemberType = typeof(KubernetesManifestTests))]
    public async Task Cpu_throttling_cannot_cost_a_lease(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var container = GatewayContainer(docs);
        var resources = container.GetProperty("resources");
        var requests = resources.GetProperty("requests");
        var limits = resources.GetProperty("limits");
        // Guaranteed QoS, or no CPU limit at all: CFS throttles the pod only beyond cores it owns.
        if (limits.TryGetProperty("cpu", out var cpuLimit))
        {
            Assert.Equal(Cores(cpuLimit.GetString()!), Cores(requests.GetProperty("cpu").GetString()!));
            Assert.Equal(limits.GetProperty("memory").GetString(), requests.GetProperty("memory").GetString());
        }
        // Renewals run every TTL / 3; one throttled CFS period delays a renewal by at most 100 ms. The lease survives
        // 20 such periods in a row.
        var ttl = TimeSpan.Parse(Effective(docs, container, "Redis__LeaseTtl") ?? "00:00:03", CultureInfo.InvariantCulture);
        var margin = ttl - (ttl / 3);
        Assert.True(margin >= TimeSpan.FromMilliseconds(100 * 20), $"{overlay}: a lease TTL of {ttl} leaves {margin} for a late renewal");
    }

    private static double Cores(string quantity) =>
        quantity.EndsWith('m') ? double.Parse(quantity[..^1], CultureInfo.InvariantCulture) / 1000 : double.Parse(quantity, CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(Overlays), MemberType = typeof(KubernetesManifestTests))]
    public async Task Every_image_is_pinned(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var images = docs.Where(d => KindOf(d) is "Deployment" or "StatefulSet")
            .SelectMany(d => Items(d.GetProperty("spec").GetProperty("template").GetProperty("spec"), "containers"))
            .Select(c => c.GetProperty("image").GetString()!).ToList();
        Assert.NotEmpty(images);
        foreach (var image in images)
        {
            var digest = image.Contains("@sha256:", StringComparison.Ordinal);
            var tag = image.LastIndexOf(':') > image.LastIndexOf('/') ? image[(image.LastIndexOf(':') + 1)..] : null;
            Assert.True(digest || (tag is not null && tag != "latest" && PinnedTag().IsMatch(tag)),
                $"{overlay}: {image} is not pinned to a digest or a release tag (major.minor[.patch])");
        }
    }

    /// <summary>A release tag with at least major.minor (7.0 is a moving tag only if patch releases move it; 7.2.7 is not).</summary>
    [GeneratedRegex(@"^v?\d+\.\d+\.\d+([-.][A-Za-z0-9.]+)?$")]
    private static partial Regex PinnedTag();

    [Theory]
    [MemberData(nameof(ProductionVariants), MemberType = typeof(KubernetesManifestTests))]
    public async Task Production_is_scraped_by_a_service_monitor_on_the_metrics_port(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var monitor = Spec(Named(docs, "ServiceMonitor", GatewayName));
        var selector = monitor.GetProperty("selector").GetProperty("matchLabels");
        var services = docs.Where(d => KindOf(d) == "Service"
            && selector.EnumerateObject().All(l => StringOf(d.GetProperty("metadata").GetProperty("labels"), l.Name) == l.Value.GetString())).ToList();
        var endpoint = Items(monitor, "endpoints").Single();
        Assert.Equal("/metrics", StringOf(endpoint, "path"));
        var containerPorts = GatewayContainer(docs).GetProperty("ports").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("containerPort").GetInt32());
        var httpPort = new Uri(Effective(docs, GatewayContainer(docs), "Kestrel__Endpoints__Http__Url")!.Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port;
        // Exactly one selected Service has the named port, and it leads to the HTTP endpoint that serves /metrics.
        var scraped = services.SelectMany(s => Items(Spec(s), "ports").Where(p => StringOf(p, "name") == StringOf(endpoint, "port"))).ToList();
        var port = Assert.Single(scraped);
        var target = port.GetProperty("targetPort");
        Assert.Equal(httpPort, target.ValueKind == JsonValueKind.String ? containerPorts[target.GetString()!] : target.GetInt32());
        // The job label the alerts and the dashboard select on.
        var jobLabel = StringOf(monitor, "jobLabel")!;
        Assert.All(services, s => Assert.Equal(GatewayName, StringOf(s.GetProperty("metadata").GetProperty("labels"), jobLabel)));
    }

    [Theory]
    [MemberData(nameof(ProductionVariants), MemberType = typeof(KubernetesManifestTests))]
    public async Task Every_alert_has_a_severity_a_summary_and_a_runbook_that_exists(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var rules = Items(Spec(Named(docs, "PrometheusRule", GatewayName)), "groups").SelectMany(g => Items(g, "rules")).ToList();
        Assert.True(rules.Count >= 10, $"only {rules.Count} alerts");
        var anchors = MarkdownAnchors(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "docs", "operations.md")));
        foreach (var rule in rules)
        {
            var name = StringOf(rule, "alert")!;
            Assert.Contains(StringOf(rule.GetProperty("labels"), "severity"), Severities);
            var annotations = rule.GetProperty("annotations");
            Assert.False(string.IsNullOrWhiteSpace(StringOf(annotations, "summary")), name);
            Assert.False(string.IsNullOrWhiteSpace(StringOf(annotations, "description")), name);
            var runbook = StringOf(annotations, "runbook")!;
            Assert.StartsWith("docs/operations.md#", runbook, StringComparison.Ordinal);
            Assert.Contains(runbook[(runbook.IndexOf('#') + 1)..], anchors);
            // Each alert reads the gateway's own job, so another app's metrics of the same name never page for it.
            Assert.Contains("job=\"rtms-gateway\"", StringOf(rule, "expr"), StringComparison.Ordinal);
        }
    }

    private static HashSet<string> MarkdownAnchors(string markdown) =>
        [.. markdown.Split('\n').Where(l => l.StartsWith('#')).Select(l =>
            Regex.Replace(l.TrimStart('#').Trim().ToLowerInvariant(), @"[^a-z0-9 \-]", string.Empty).Replace(' ', '-'))];

    [Theory]
    [MemberData(nameof(ProductionVariants), MemberType = typeof(KubernetesManifestTests))]
    public async Task Production_ships_the_dashboard_for_grafanas_sidecar(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var map = Named(docs, "ConfigMap", "rtms-gateway-dashboard");
        Assert.Equal("1", StringOf(map.GetProperty("metadata").GetProperty("labels"), "grafana_dashboard"));
        var json = map.GetProperty("data").GetProperty("rtms-gateway.json").GetString()!;
        var dashboard = JsonDocument.Parse(json).RootElement;
        Assert.Equal("rtms-gateway", StringOf(dashboard, "uid"));
        Assert.True(Items(dashboard, "panels").Count >= 10);
    }

    [Fact]
    public async Task The_keda_component_replaces_the_hpa_with_a_scaled_object()
    {
        var directory = Directory.CreateTempSubdirectory("rtms-k8s-keda-");
        try
        {
            // kustomize refuses absolute paths to bases and components, so point at the repository relative to the copy.
            var k8s = Path.GetRelativePath(directory.FullName, Path.Combine(RepositoryPaths.Root, "k8s")).Replace('\\', '/');
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "kustomization.yaml"), $"""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [{k8s}/overlays/production]
                components: [{k8s}/components/keda]
                """);
            var docs = await KubernetesManifestTests.RenderDirectoryAsync(directory.FullName);
            Assert.DoesNotContain(docs, d => KindOf(d) == "HorizontalPodAutoscaler");
            var scaled = Spec(Named(docs, "ScaledObject", GatewayName));
            Assert.Equal(GatewayName, StringOf(scaled.GetProperty("scaleTargetRef"), "name"));
            var triggers = Items(scaled, "triggers");
            Assert.Contains(triggers, t => StringOf(t, "type") == "prometheus" && StringOf(t.GetProperty("metadata"), "query")!.Contains("rtms_gateway_sessions", StringComparison.Ordinal));
            Assert.Contains(triggers, t => StringOf(t, "type") == "cpu");
            Assert.False(Spec(Named(docs, "Deployment", GatewayName)).TryGetProperty("replicas", out _));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
