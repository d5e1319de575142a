using System.Text.Json;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Deploy;

/// <summary>
/// Renders every kustomize overlay with kubectl and checks the result against the application's own configuration:
/// ports and probes match appsettings.json, secrets are referenced never inlined, every container has limits, the
/// drain fits in the termination grace period, and selectors select only the gateway.
/// </summary>
public sealed class KubernetesManifestTests
{
    public static TheoryData<string> Overlays() => ["dev", "production"];

    private static async Task<List<JsonElement>> RenderAsync(string overlay)
    {
        var rendered = await ExternalProcess.RunAsync("kubectl", ["kustomize", Path.Combine("k8s", "overlays", overlay)], TimeSpan.FromSeconds(60));
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

    private static JsonElement One(List<JsonElement> docs, string kind) => docs.Single(d => d.GetProperty("kind").GetString() == kind);

    private static JsonElement AppSettings() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "RtmsGateway", "appsettings.json"))).RootElement;

    private static int PortOf(string url) => new Uri(url.Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port;

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Ports_and_probes_match_the_application(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var settings = AppSettings().GetProperty("Kestrel").GetProperty("Endpoints");
        var grpcPort = PortOf(settings.GetProperty("Grpc").GetProperty("Url").GetString()!);
        var httpPort = PortOf(settings.GetProperty("Http").GetProperty("Url").GetString()!);
        var config = One(docs, "ConfigMap").GetProperty("data");
        Assert.Equal(grpcPort, PortOf(config.GetProperty("Kestrel__Endpoints__Grpc__Url").GetString()!));
        Assert.Equal(httpPort, PortOf(config.GetProperty("Kestrel__Endpoints__Http__Url").GetString()!));
        Assert.Equal("Http2", config.GetProperty("Kestrel__Endpoints__Grpc__Protocols").GetString());

        var pod = One(docs, "Deployment").GetProperty("spec").GetProperty("template").GetProperty("spec");
        var container = pod.GetProperty("containers")[0];
        var ports = container.GetProperty("ports").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("containerPort").GetInt32());
        Assert.Equal(grpcPort, ports["grpc"]);
        Assert.Equal(httpPort, ports["http"]);
        Assert.Equal(grpcPort, container.GetProperty("readinessProbe").GetProperty("grpc").GetProperty("port").GetInt32());
        Assert.Equal("/healthz", container.GetProperty("livenessProbe").GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal("/readyz", container.GetProperty("startupProbe").GetProperty("httpGet").GetProperty("path").GetString());

        var webhookPath = AppSettings().GetProperty("Gateway").GetProperty("WebhookPath").GetString();
        var ingressPaths = One(docs, "Ingress").GetProperty("spec").GetProperty("rules")[0].GetProperty("http").GetProperty("paths");
        Assert.Equal([webhookPath], ingressPaths.EnumerateArray().Select(p => p.GetProperty("path").GetString()));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Secrets_are_referenced_never_inlined(string overlay)
    {
        var docs = await RenderAsync(overlay);
        Assert.DoesNotContain(docs, d => d.GetProperty("kind").GetString() == "Secret");
        var env = One(docs, "Deployment").GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0].GetProperty("env")
            .EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        foreach (var name in new[] { "Zoom__ClientId", "Zoom__ClientSecret", "Zoom__WebhookSecretToken" })
        {
            Assert.False(env[name].TryGetProperty("value", out _), $"{name} must not be inlined");
            Assert.Equal("rtms-gateway-zoom", env[name].GetProperty("valueFrom").GetProperty("secretKeyRef").GetProperty("name").GetString());
        }
        var config = One(docs, "ConfigMap").GetProperty("data").EnumerateObject().Select(p => p.Name);
        Assert.DoesNotContain(config, k => k.Contains("Secret", StringComparison.OrdinalIgnoreCase) || k.Contains("Token", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_container_has_limits_and_the_drain_fits_the_grace_period(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var pods = docs.Where(d => d.GetProperty("kind").GetString() is "Deployment" or "StatefulSet")
            .Select(d => d.GetProperty("spec").GetProperty("template").GetProperty("spec")).ToList();
        Assert.NotEmpty(pods);
        foreach (var container in pods.SelectMany(p => p.GetProperty("containers").EnumerateArray()))
        {
            var limits = container.GetProperty("resources").GetProperty("limits");
            Assert.True(limits.TryGetProperty("cpu", out _) && limits.TryGetProperty("memory", out _), container.GetProperty("name").GetString());
        }
        var gateway = One(docs, "Deployment").GetProperty("spec").GetProperty("template").GetProperty("spec");
        var preStop = gateway.GetProperty("containers")[0].GetProperty("lifecycle").GetProperty("preStop").GetProperty("sleep").GetProperty("seconds").GetInt32();
        const int hostShutdownSeconds = 30; // .NET's default HostOptions.ShutdownTimeout, within which the drain runs
        Assert.True(gateway.GetProperty("terminationGracePeriodSeconds").GetInt32() >= preStop + hostShutdownSeconds);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Selectors_pick_only_gateway_pods(string overlay)
    {
        var docs = await RenderAsync(overlay);
        var podLabels = One(docs, "Deployment").GetProperty("spec").GetProperty("template").GetProperty("metadata").GetProperty("labels");
        var name = podLabels.GetProperty("app.kubernetes.io/name").GetString();
        Assert.Equal("rtms-gateway", name);
        Assert.Equal(name, One(docs, "PodDisruptionBudget").GetProperty("spec").GetProperty("selector").GetProperty("matchLabels").GetProperty("app.kubernetes.io/name").GetString());
        Assert.Equal(name, One(docs, "NetworkPolicy").GetProperty("spec").GetProperty("podSelector").GetProperty("matchLabels").GetProperty("app.kubernetes.io/name").GetString());
        foreach (var service in docs.Where(d => d.GetProperty("kind").GetString() == "Service" && d.GetProperty("metadata").GetProperty("name").GetString()!.StartsWith("rtms-gateway", StringComparison.Ordinal)))
        {
            Assert.Equal(name, service.GetProperty("spec").GetProperty("selector").GetProperty("app.kubernetes.io/name").GetString());
        }
        var hpa = One(docs, "HorizontalPodAutoscaler").GetProperty("spec");
        Assert.Equal("rtms-gateway", hpa.GetProperty("scaleTargetRef").GetProperty("name").GetString());
        Assert.InRange(hpa.GetProperty("minReplicas").GetInt32(), 2, hpa.GetProperty("maxReplicas").GetInt32());
    }
}
