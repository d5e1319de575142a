using System.Text.Json;
using System.Text.RegularExpressions;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Deploy;

/// <summary>
/// Renders every kustomize overlay with kubectl and checks the result against the application's own configuration:
/// ports and probes match appsettings.json, secrets are referenced never inlined, every container has limits, the
/// drain fits in the termination grace period, and selectors select only the gateway. And that the defaults fail closed:
/// production requires consumer auth and hides reflection, the NetworkPolicy admits each port only from the sources
/// labelled for it, and only the webhook path leaves the cluster.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    /// <summary>The label scheme the NetworkPolicy uses (docs/operations.md, "Network access"): namespaces an operator labels.</summary>
    private const string ConsumerLabel = "rtms-gateway.io/consumer";
    private const string IngressLabel = "rtms-gateway.io/ingress";
    private const string MonitoringLabel = "rtms-gateway.io/monitoring";
    private const string GatewayName = "rtms-gateway";

    public static TheoryData<string> Overlays() => ["dev", "production", "mtls"];

    public static TheoryData<string> ProductionVariants() => ["production", "mtls"];

    internal static Task<List<JsonElement>> RenderAsync(string overlay) => RenderDirectoryAsync(Path.Combine("k8s", "overlays", overlay));

    internal static async Task<List<JsonElement>> RenderDirectoryAsync(string directory)
    {
        var rendered = await ExternalProcess.RunAsync("kubectl", ["kustomize", directory], TimeSpan.FromSeconds(60));
        Assert.True(rendered.ExitCode == 0, rendered.ToString());
        var yamlFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(yamlFile, rendered.Output);
            var json = await ExternalProcess.RunAsync("/usr/bin/python3",
                ["-c", "import sys, json, yaml; print(json.dumps([d for d in yaml.safe_load_all(open(sys.argv[1])) if d]))", yamlFile], TimeSpan.FromSeconds(30));
            Assert.True(json.ExitCode == 0, json.ToString());
            return [.. JsonDocument.Parse(json.Output).RootElement.EnumerateArray().Select(e => e.Clone())];
        }
        finally
        {
            File.Delete(yamlFile);
        }
    }

    internal static string KindOf(JsonElement doc) => doc.GetProperty("kind").GetString()!;

    internal static string NameOf(JsonElement doc) => doc.GetProperty("metadata").GetProperty("name").GetString()!;

    internal static JsonElement One(List<JsonElement> docs, string kind) => docs.Single(d => KindOf(d) == kind);

    internal static JsonElement Named(List<JsonElement> docs, string kind, string name) => docs.Single(d => KindOf(d) == kind && NameOf(d) == name);

    internal static List<JsonElement> Items(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array ? [.. array.EnumerateArray()] : [];

    internal static string? StringOf(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static JsonElement GatewayPod(List<JsonElement> docs) => Named(docs, "Deployment", GatewayName).GetProperty("spec").GetProperty("template");

    internal static JsonElement GatewayContainer(List<JsonElement> docs) =>
        Items(GatewayPod(docs).GetProperty("spec"), "containers").Single(c => StringOf(c, "name") == "gateway");

    internal static Dictionary<string, JsonElement> EnvOf(JsonElement container) =>
        Items(container, "env").ToDictionary(e => e.GetProperty("name").GetString()!);

    /// <summary>A setting pinned on the container (<c>env</c> with a literal value wins over every <c>envFrom</c> ConfigMap).</summary>
    internal static string? Pinned(JsonElement container, string key) =>
        EnvOf(container).TryGetValue(key, out var entry) ? StringOf(entry, "value") : null;

    /// <summary>The value the process sees for a setting: the container's env, else the last rendered envFrom ConfigMap holding it.</summary>
    internal static string? Effective(List<JsonElement> docs, JsonElement container, string key)
    {
        if (EnvOf(container).TryGetValue(key, out var entry))
        {
            return StringOf(entry, "value");
        }
        foreach (var source in Enumerable.Reverse(Items(container, "envFrom")))
        {
            if (source.TryGetProperty("configMapRef", out var reference)
                && docs.SingleOrDefault(d => KindOf(d) == "ConfigMap" && NameOf(d) == StringOf(reference, "name")) is { ValueKind: JsonValueKind.Object } map
                && map.GetProperty("data").TryGetProperty(key, out var value))
            {
                return value.GetString();
            }
        }
        return null;
    }

    private static JsonElement AppSettings() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "RtmsGateway", "appsettings.json"))).RootElement;

    private static string WebhookPath() => AppSettings().GetProperty("Gateway").GetProperty("WebhookPath").GetString()!;

    private static int PortOf(string url) => new Uri(url.Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port;

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Ports_and_probes_match_the_application(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var settings = AppSettings().GetProperty("Kestrel").GetProperty("Endpoints");
        var grpcPort = PortOf(settings.GetProperty("Grpc").GetProperty("Url").GetString()!);
        var httpPort = PortOf(settings.GetProperty("Http").GetProperty("Url").GetString()!);
        var config = Named(docs, "ConfigMap", GatewayName).GetProperty("data");
        var container = GatewayContainer(docs);
        var grpcUrl = Effective(docs, container, "Kestrel__Endpoints__Grpc__Url")!;
        Assert.Equal(grpcPort, PortOf(grpcUrl));
        Assert.Equal(httpPort, PortOf(config.GetProperty("Kestrel__Endpoints__Http__Url").GetString()!));
        Assert.Equal("Http2", config.GetProperty("Kestrel__Endpoints__Grpc__Protocols").GetString());

        var ports = container.GetProperty("ports").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("containerPort").GetInt32());
        Assert.Equal(grpcPort, ports["grpc"]);
        Assert.Equal(httpPort, ports["http"]);
        var readiness = container.GetProperty("readinessProbe");
        if (grpcUrl.StartsWith("https:", StringComparison.Ordinal))
        {
            // The kubelet's gRPC probe speaks plaintext only: with a TLS gRPC endpoint readiness is HTTP /readyz (also off while draining).
            Assert.False(readiness.TryGetProperty("grpc", out _), "a gRPC probe cannot reach a TLS endpoint");
            Assert.Equal("/readyz", readiness.GetProperty("httpGet").GetProperty("path").GetString());
            Assert.Equal("http", readiness.GetProperty("httpGet").GetProperty("port").GetString());
        }
        else
        {
            Assert.Equal(grpcPort, readiness.GetProperty("grpc").GetProperty("port").GetInt32());
        }
        // $(VAR) expands only from variables defined earlier in the list (patches must not reorder the downward API ones).
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in Items(container, "env"))
        {
            foreach (Match reference in EnvReference().Matches(StringOf(entry, "value") ?? string.Empty))
            {
                Assert.True(defined.Contains(reference.Groups[1].Value), $"{entry.GetProperty("name").GetString()} uses {reference.Value} before it is defined");
            }
            defined.Add(entry.GetProperty("name").GetString()!);
        }
        Assert.Equal("/healthz", container.GetProperty("livenessProbe").GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal("/readyz", container.GetProperty("startupProbe").GetProperty("httpGet").GetProperty("path").GetString());

        var ingressPaths = One(docs, "Ingress").GetProperty("spec").GetProperty("rules")[0].GetProperty("http").GetProperty("paths");
        Assert.Equal([WebhookPath()], ingressPaths.EnumerateArray().Select(p => p.GetProperty("path").GetString()));
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex EnvReference();

    [Theory]
    [MemberData(nameof(ProductionVariants))]
    public async Task Production_runs_its_pinned_image(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var image = GatewayContainer(docs).GetProperty("image").GetString()!;
        Assert.True(image.Contains('@', StringComparison.Ordinal) || (image.LastIndexOf(':') > image.LastIndexOf('/') && !image.EndsWith(":latest", StringComparison.Ordinal)),
            $"production must run a pinned image, not {image}");
    }

    [GeneratedRegex("secret|token|signingkey|password|passwd|privatekey|apikey", RegexOptions.IgnoreCase)]
    private static partial Regex SecretLikeName();

    [GeneratedRegex(@"password\s*=|passwd\s*=|-----BEGIN", RegexOptions.IgnoreCase)]
    private static partial Regex SecretLikeValue();

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Secrets_are_referenced_never_inlined(string overlay)
    {
        var docs = await RenderAsync(overlay);
        Assert.DoesNotContain(docs, d => KindOf(d) == "Secret");
        var env = EnvOf(GatewayContainer(docs));
        foreach (var name in new[] { "Zoom__ClientId", "Zoom__ClientSecret", "Zoom__WebhookSecretToken" })
        {
            Assert.False(env[name].TryGetProperty("value", out _), $"{name} must not be inlined");
            Assert.Equal("rtms-gateway-zoom", env[name].GetProperty("valueFrom").GetProperty("secretKeyRef").GetProperty("name").GetString());
        }
        // Every container of every workload: a secret-like setting is a secretKeyRef, and no literal looks like a credential.
        var containers = docs.Where(d => KindOf(d) is "Deployment" or "StatefulSet")
            .SelectMany(d => Items(d.GetProperty("spec").GetProperty("template").GetProperty("spec"), "containers"));
        foreach (var entry in containers.SelectMany(c => Items(c, "env")))
        {
            var name = entry.GetProperty("name").GetString()!;
            if (StringOf(entry, "value") is { } value)
            {
                Assert.False(SecretLikeName().IsMatch(name), $"{name} looks like a secret: reference it with secretKeyRef");
                Assert.False(SecretLikeValue().IsMatch(value), $"{name} carries a credential inline");
            }
        }
        foreach (var map in docs.Where(d => KindOf(d) == "ConfigMap"))
        {
            foreach (var setting in map.GetProperty("data").EnumerateObject())
            {
                Assert.False(SecretLikeName().IsMatch(setting.Name), $"ConfigMap {NameOf(map)}: {setting.Name} belongs in a Secret");
                Assert.False(SecretLikeValue().IsMatch(setting.Value.GetString()!), $"ConfigMap {NameOf(map)}: {setting.Name} carries a credential");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_container_has_limits_and_the_drain_fits_the_grace_period(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var pods = docs.Where(d => KindOf(d) is "Deployment" or "StatefulSet")
            .Select(d => d.GetProperty("spec").GetProperty("template").GetProperty("spec")).ToList();
        Assert.NotEmpty(pods);
        foreach (var container in pods.SelectMany(p => p.GetProperty("containers").EnumerateArray()))
        {
            var limits = container.GetProperty("resources").GetProperty("limits");
            Assert.True(limits.TryGetProperty("cpu", out _) && limits.TryGetProperty("memory", out _), container.GetProperty("name").GetString());
        }
        var gateway = Named(docs, "Deployment", GatewayName).GetProperty("spec").GetProperty("template").GetProperty("spec");
        var preStop = gateway.GetProperty("containers")[0].GetProperty("lifecycle").GetProperty("preStop").GetProperty("sleep").GetProperty("seconds").GetInt32();
        const int hostShutdownSeconds = 30; // .NET's default HostOptions.ShutdownTimeout, within which the drain runs
        Assert.True(gateway.GetProperty("terminationGracePeriodSeconds").GetInt32() >= preStop + hostShutdownSeconds);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Selectors_pick_only_gateway_pods(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var podLabels = GatewayPod(docs).GetProperty("metadata").GetProperty("labels");
        var name = podLabels.GetProperty("app.kubernetes.io/name").GetString();
        Assert.Equal(GatewayName, name);
        Assert.Equal(name, One(docs, "PodDisruptionBudget").GetProperty("spec").GetProperty("selector").GetProperty("matchLabels").GetProperty("app.kubernetes.io/name").GetString());
        Assert.Equal(name, GatewayPolicy(docs).GetProperty("spec").GetProperty("podSelector").GetProperty("matchLabels").GetProperty("app.kubernetes.io/name").GetString());
        foreach (var service in docs.Where(d => KindOf(d) == "Service" && NameOf(d).StartsWith(GatewayName, StringComparison.Ordinal)))
        {
            Assert.Equal(name, service.GetProperty("spec").GetProperty("selector").GetProperty("app.kubernetes.io/name").GetString());
        }
        // dev runs fixed replicas without an autoscaler; where there is one, it scales the gateway.
        foreach (var hpa in docs.Where(d => KindOf(d) == "HorizontalPodAutoscaler").Select(d => d.GetProperty("spec")))
        {
            Assert.Equal(GatewayName, hpa.GetProperty("scaleTargetRef").GetProperty("name").GetString());
            Assert.InRange(hpa.GetProperty("minReplicas").GetInt32(), 2, hpa.GetProperty("maxReplicas").GetInt32());
        }
    }

    // ---- NetworkPolicy: fails closed ----

    private static JsonElement GatewayPolicy(List<JsonElement> docs) => Named(docs, "NetworkPolicy", GatewayName);

    /// <summary>Whether a rule's <c>ports</c> admit a port (no <c>ports</c>, or an entry without <c>port</c>, admits every port).</summary>
    private static bool Admits(JsonElement rule, int port, string protocol = "TCP", string? portName = null)
    {
        if (!rule.TryGetProperty("ports", out var ports) || ports.GetArrayLength() == 0)
        {
            return true;
        }
        return ports.EnumerateArray().Any(p =>
            (StringOf(p, "protocol") ?? "TCP") == protocol
            && (!p.TryGetProperty("port", out var value)
                || (value.ValueKind == JsonValueKind.Number && (p.TryGetProperty("endPort", out var end)
                    ? value.GetInt32() <= port && port <= end.GetInt32()
                    : value.GetInt32() == port))
                || (value.ValueKind == JsonValueKind.String && value.GetString() == portName)));
    }

    private static Dictionary<string, string> MatchLabels(JsonElement selector)
    {
        Assert.False(selector.TryGetProperty("matchExpressions", out _), $"use matchLabels only: {selector}");
        return selector.TryGetProperty("matchLabels", out var labels)
            ? labels.EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!)
            : [];
    }

    /// <summary>A peer that is exactly "namespaces labelled <paramref name="label"/>=true" (all their pods, no other selector).</summary>
    private static bool IsLabelledNamespaces(JsonElement peer, string label) =>
        peer.EnumerateObject().Select(p => p.Name).SequenceEqual(["namespaceSelector"])
        && MatchLabels(peer.GetProperty("namespaceSelector")) is { Count: 1 } labels
        && labels.TryGetValue(label, out var value) && value == "true";

    /// <summary>A peer that is exactly "the gateway's own pods" (a podSelector alone: the policy's own namespace).</summary>
    private static bool IsGatewayPods(JsonElement peer, JsonElement podLabels) =>
        peer.EnumerateObject().Select(p => p.Name).SequenceEqual(["podSelector"])
        && MatchLabels(peer.GetProperty("podSelector")) is { Count: > 0 } labels
        && labels.TryGetValue("app.kubernetes.io/name", out var name) && name == GatewayName
        && labels.All(l => podLabels.TryGetProperty(l.Key, out var v) && v.GetString() == l.Value);

    private static List<JsonElement> IngressRulesAdmitting(JsonElement policy, int port, string portName) =>
        [.. Items(policy.GetProperty("spec"), "ingress").Where(r => Admits(r, port, portName: portName))];

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_network_policy_ingress_rule_names_its_sources(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var policies = docs.Where(d => KindOf(d) == "NetworkPolicy").ToList();
        Assert.NotEmpty(policies);
        foreach (var policy in policies)
        {
            var spec = policy.GetProperty("spec");
            Assert.Contains("Ingress", Items(spec, "policyTypes").Select(t => t.GetString()));
            foreach (var rule in Items(spec, "ingress"))
            {
                var from = Items(rule, "from").ToList();
                Assert.True(from.Count > 0, $"NetworkPolicy {NameOf(policy)}: an ingress rule without 'from' admits every source: {rule}");
                Assert.True(Items(rule, "ports").Count > 0, $"NetworkPolicy {NameOf(policy)}: an ingress rule without 'ports' admits every port: {rule}");
                foreach (var peer in from)
                {
                    // An empty selector matches everything; an ipBlock would admit addresses no label vouches for.
                    Assert.False(peer.TryGetProperty("ipBlock", out _), $"NetworkPolicy {NameOf(policy)}: ipBlock peer {peer}");
                    foreach (var selector in peer.EnumerateObject())
                    {
                        Assert.True(MatchLabels(selector.Value).Count > 0, $"NetworkPolicy {NameOf(policy)}: empty {selector.Name} admits everything: {peer}");
                    }
                }
            }
        }
        Assert.Contains("Egress", Items(GatewayPolicy(docs).GetProperty("spec"), "policyTypes").Select(t => t.GetString()));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Grpc_port_admits_only_consumer_namespaces_and_the_gateways_own_pods(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var podLabels = GatewayPod(docs).GetProperty("metadata").GetProperty("labels");
        var rules = IngressRulesAdmitting(GatewayPolicy(docs), 50051, "grpc");
        Assert.NotEmpty(rules);
        var peers = rules.SelectMany(r => Items(r, "from")).ToList();
        Assert.All(rules, r => Assert.NotEmpty(Items(r, "from")));
        Assert.All(peers, p => Assert.True(IsLabelledNamespaces(p, ConsumerLabel) || IsGatewayPods(p, podLabels),
            $"50051 must be admitted only from namespaces labelled {ConsumerLabel}=true and from the gateway's pods, not {p}"));
        Assert.Contains(peers, p => IsLabelledNamespaces(p, ConsumerLabel));
        Assert.Contains(peers, p => IsGatewayPods(p, podLabels)); // replica-to-replica relay
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Http_port_admits_only_the_ingress_controller_and_monitoring_namespaces(string overlay)
    {
        var docs = await RenderAsync(overlay);
        AssertHttpPortAdmitsOnlyIngressAndMonitoring(GatewayPolicy(docs));
    }

    private static void AssertHttpPortAdmitsOnlyIngressAndMonitoring(JsonElement policy)
    {
        var rules = IngressRulesAdmitting(policy, 8080, "http");
        Assert.NotEmpty(rules);
        Assert.All(rules, r => Assert.NotEmpty(Items(r, "from")));
        var peers = rules.SelectMany(r => Items(r, "from")).ToList();
        Assert.All(peers, p => Assert.True(IsLabelledNamespaces(p, IngressLabel) || IsLabelledNamespaces(p, MonitoringLabel),
            $"8080 must be admitted only from namespaces labelled {IngressLabel}=true (webhook) or {MonitoringLabel}=true (metrics), not {p}"));
        Assert.Contains(peers, p => IsLabelledNamespaces(p, IngressLabel));
        Assert.Contains(peers, p => IsLabelledNamespaces(p, MonitoringLabel));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Egress_reaches_dns_redis_with_and_without_tls_zoom_and_only_gateway_pods_on_grpc(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var podLabels = GatewayPod(docs).GetProperty("metadata").GetProperty("labels");
        var egress = Items(GatewayPolicy(docs).GetProperty("spec"), "egress").ToList();
        foreach (var (port, protocol) in new[] { (53, "UDP"), (53, "TCP"), (6379, "TCP"), (6380, "TCP"), (443, "TCP"), (50051, "TCP") })
        {
            Assert.True(egress.Any(r => Admits(r, port, protocol)), $"egress to {port}/{protocol} is needed (DNS, Redis, Redis over TLS, Zoom RTMS, relay)");
        }
        var allowed = new HashSet<int> { 53, 6379, 6380, 443, 50051 };
        foreach (var rule in egress)
        {
            var ports = Items(rule, "ports").ToList();
            Assert.True(ports.Count > 0, $"an egress rule without ports opens every port: {rule}");
            Assert.All(ports, p => Assert.True(p.TryGetProperty("port", out var value) && value.ValueKind == JsonValueKind.Number
                && !p.TryGetProperty("endPort", out _) && allowed.Contains(value.GetInt32()), $"unexpected egress port {p}"));
            if (Admits(rule, 50051))
            {
                var to = Items(rule, "to").ToList();
                Assert.True(to.Count > 0, $"egress to 50051 must go to the gateway's own pods only, not the world: {rule}");
                Assert.All(to, peer => Assert.True(IsGatewayPods(peer, podLabels), $"egress to 50051 only to gateway pods, not {peer}"));
            }
        }
    }

    // ---- Consumer authentication ----

    [Theory]
    [MemberData(nameof(ProductionVariants))]
    public async Task Production_requires_consumer_auth_and_never_runs_open(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var container = GatewayContainer(docs);
        // Pinned on the container, so no envFrom ConfigMap (including the operator's rtms-gateway-auth) can turn it off.
        var mode = Pinned(container, "Auth__Mode");
        Assert.True(mode is "Jwt" or "Mtls", $"production must set Auth__Mode to Jwt or Mtls on the container (got '{mode ?? "unset: None"}')");
        Assert.Equal(overlay == "mtls" ? "Mtls" : "Jwt", mode);
        AssertNotOverriddenOnTheCommandLine(container, "Auth:Mode", "Auth__Mode");
        // Consumer policies (and the JWT authority) come from a ConfigMap the operator creates; without it no pod starts.
        var auth = Items(container, "envFrom").Select(s => s.TryGetProperty("configMapRef", out var r) ? r : default)
            .SingleOrDefault(r => r.ValueKind == JsonValueKind.Object && StringOf(r, "name") == "rtms-gateway-auth");
        Assert.True(auth.ValueKind == JsonValueKind.Object, "envFrom must include the rtms-gateway-auth ConfigMap (Auth__Consumers__…)");
        Assert.False(auth.TryGetProperty("optional", out var optional) && optional.GetBoolean(), "rtms-gateway-auth must not be optional");

        if (mode == "Mtls")
        {
            Assert.StartsWith("https://", Effective(docs, container, "Kestrel__Endpoints__Grpc__Url"), StringComparison.Ordinal);
            Assert.StartsWith("https://", Pinned(container, "Gateway__AdvertisedAddress"), StringComparison.Ordinal);
            Assert.NotEmpty(Effective(docs, container, "Auth__Mtls__RelayIdentities__0") ?? string.Empty);
        }
    }

    [Theory]
    [MemberData(nameof(ProductionVariants))]
    public async Task Consumer_auth_credentials_come_from_secrets(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var container = GatewayContainer(docs);
        var env = EnvOf(container);
        if (Pinned(container, "Auth__Mode") == "Mtls")
        {
            var pod = GatewayPod(docs).GetProperty("spec");
            var secretVolumes = Items(pod, "volumes").Where(v => v.TryGetProperty("secret", out _)).Select(v => StringOf(v, "name")).ToHashSet();
            var secretMounts = Items(container, "volumeMounts").Where(m => secretVolumes.Contains(StringOf(m, "name"))).ToList();
            Assert.All(secretMounts, m => Assert.True(m.TryGetProperty("readOnly", out var ro) && ro.GetBoolean(), $"mount {m} must be read-only"));
            foreach (var key in new[] { "Kestrel__Endpoints__Grpc__Certificate__Path", "Kestrel__Endpoints__Grpc__Certificate__KeyPath", "Auth__Mtls__ClientCaPath", "Auth__Mtls__RelayCertificatePath", "Auth__Mtls__RelayKeyPath" })
            {
                var path = Effective(docs, container, key);
                Assert.False(string.IsNullOrEmpty(path), $"{key} must be set");
                Assert.True(secretMounts.Any(m => path!.StartsWith(StringOf(m, "mountPath")!.TrimEnd('/') + "/", StringComparison.Ordinal)),
                    $"{key}={path} must be a file of a Secret volume");
            }
        }
        else
        {
            Assert.True(env.TryGetValue("Auth__Jwt__SigningKey", out var key), "Auth__Jwt__SigningKey must be wired from a Secret (optional when an authority is used)");
            Assert.False(key.TryGetProperty("value", out _), "the JWT signing key must never be inlined");
            Assert.Equal("rtms-gateway-jwt", key.GetProperty("valueFrom").GetProperty("secretKeyRef").GetProperty("name").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(ProductionVariants))]
    public async Task Production_disables_reflection_or_makes_it_require_auth(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var container = GatewayContainer(docs);
        var reflection = Pinned(container, "Gateway__EnableReflection");
        var requiresAuth = Pinned(container, "Gateway__ReflectionRequiresAuth");
        var mode = Pinned(container, "Auth__Mode");
        Assert.True(string.Equals(reflection, "false", StringComparison.OrdinalIgnoreCase)
            || (string.Equals(requiresAuth, "true", StringComparison.OrdinalIgnoreCase) && mode is "Jwt" or "Mtls"),
            $"production must pin Gateway__EnableReflection=false, or Gateway__ReflectionRequiresAuth=true with auth on (got EnableReflection={reflection ?? "unset: true"})");
        AssertNotOverriddenOnTheCommandLine(container, "Gateway:EnableReflection", "Gateway__EnableReflection");
        AssertNotOverriddenOnTheCommandLine(container, "Gateway:ReflectionRequiresAuth", "Gateway__ReflectionRequiresAuth");
    }

    /// <summary>Command-line arguments outrank environment variables in .NET configuration.</summary>
    private static void AssertNotOverriddenOnTheCommandLine(JsonElement container, params string[] keys)
    {
        var arguments = Items(container, "command").Concat(Items(container, "args")).Select(a => a.GetString()!).ToList();
        Assert.DoesNotContain(arguments, a => keys.Any(k => a.Contains(k, StringComparison.OrdinalIgnoreCase)));
    }

    // ---- Exposure ----

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Webhook_is_reachable_only_through_the_ingress_and_grpc_never_leaves_the_cluster(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var httpPort = PortOf(AppSettings().GetProperty("Kestrel").GetProperty("Endpoints").GetProperty("Http").GetProperty("Url").GetString()!);
        var containerPorts = GatewayContainer(docs).GetProperty("ports").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("containerPort").GetInt32());

        // Nothing else routes traffic in from outside: no LoadBalancer/NodePort Service, no external IPs, no other route kinds.
        Assert.DoesNotContain(docs, d => KindOf(d) is "HTTPRoute" or "GRPCRoute" or "TCPRoute" or "TLSRoute" or "Route" or "Gateway" or "IngressRoute");
        foreach (var service in docs.Where(d => KindOf(d) == "Service"))
        {
            var type = StringOf(service.GetProperty("spec"), "type") ?? "ClusterIP";
            Assert.True(type == "ClusterIP", $"Service {NameOf(service)} is {type}: only the Ingress may expose the gateway");
            Assert.Empty(Items(service.GetProperty("spec"), "externalIPs"));
        }

        // The Ingress: exactly the webhook path, to the HTTP port (8080), never gRPC, no default backend.
        var ingress = One(docs, "Ingress").GetProperty("spec");
        Assert.False(ingress.TryGetProperty("defaultBackend", out _), "a default backend would expose every path");
        var paths = Items(ingress, "rules").SelectMany(r => Items(r.GetProperty("http"), "paths")).ToList();
        Assert.NotEmpty(paths);
        foreach (var path in paths)
        {
            Assert.Equal(WebhookPath(), StringOf(path, "path"));
            Assert.Equal("Exact", StringOf(path, "pathType"));
            var backend = path.GetProperty("backend").GetProperty("service");
            var service = Named(docs, "Service", backend.GetProperty("name").GetString()!).GetProperty("spec");
            var servicePort = Items(service, "ports").Single(p => backend.GetProperty("port").TryGetProperty("name", out var n)
                ? StringOf(p, "name") == n.GetString()
                : p.GetProperty("port").GetInt32() == backend.GetProperty("port").GetProperty("number").GetInt32());
            var target = servicePort.GetProperty("targetPort");
            Assert.Equal(httpPort, target.ValueKind == JsonValueKind.String ? containerPorts[target.GetString()!] : target.GetInt32());
        }

        // Inside the cluster the webhook port is open only to the ingress controller (and the metrics scraper).
        AssertHttpPortAdmitsOnlyIngressAndMonitoring(GatewayPolicy(docs));
    }
}
