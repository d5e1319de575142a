using System.Text.Json;
using RtmsGateway.Testing;
using static RtmsGateway.Tests.Deploy.KubernetesManifestTests;

namespace RtmsGateway.Tests.Deploy;

/// <summary>
/// The shipped alerts, as rendered in the production overlay's PrometheusRule, pass <c>promtool check rules</c> and the
/// unit tests in <c>k8s/components/monitoring/alerts.test.yaml</c> (synthetic series: each alert fires on its symptom
/// and stays quiet on a healthy fleet), and every alert has a case in which it fires.
/// </summary>
public sealed class AlertRuleTests
{
    private static readonly string TestFile = Path.Combine(RepositoryPaths.Root, "k8s", "components", "monitoring", "alerts.test.yaml");

    [Fact]
    public async Task Alerts_fire_on_their_symptoms_and_stay_quiet_on_a_healthy_fleet()
    {
        var docs = await RenderAsync("production");
        var groups = Named(docs, "PrometheusRule", "rtms-gateway").GetProperty("spec").GetProperty("groups");
        var directory = Directory.CreateTempSubdirectory("rtms-rules-");
        try
        {
            // JSON is YAML: the groups as Prometheus reads them, without annotations (alerts.test.yaml checks when alerts
            // fire; OperabilityManifestTests checks their texts).
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "rules.yaml"), RulesWithoutAnnotations(groups));
            File.Copy(TestFile, Path.Combine(directory.FullName, "alerts.test.yaml"));

            var check = await ExternalProcess.RunAsync("promtool", ["check", "rules", "rules.yaml"], TimeSpan.FromSeconds(60), directory.FullName);
            Assert.True(check.ExitCode == 0, check.ToString());
            var test = await ExternalProcess.RunAsync("promtool", ["test", "rules", "alerts.test.yaml"], TimeSpan.FromSeconds(120), directory.FullName);
            Assert.True(test.ExitCode == 0, test.ToString());
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        // Every alert is shown to fire in some case (an alert no case fires could have an expression that never can).
        var fired = await AlertsWithAFiringCaseAsync();
        foreach (var rule in groups.EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()))
        {
            Assert.Contains(rule.GetProperty("alert").GetString()!, fired);
        }
    }

    private static string RulesWithoutAnnotations(JsonElement groups)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("groups");
            foreach (var group in groups.EnumerateArray())
            {
                writer.WriteStartObject();
                foreach (var property in group.EnumerateObject())
                {
                    if (property.Name != "rules")
                    {
                        property.WriteTo(writer);
                        continue;
                    }
                    writer.WriteStartArray("rules");
                    foreach (var rule in property.Value.EnumerateArray())
                    {
                        writer.WriteStartObject();
                        foreach (var field in rule.EnumerateObject().Where(f => f.Name != "annotations"))
                        {
                            field.WriteTo(writer);
                        }
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static async Task<HashSet<string>> AlertsWithAFiringCaseAsync()
    {
        var json = await ExternalProcess.RunAsync("/usr/bin/python3",
            ["-c", "import sys, json, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", TestFile], TimeSpan.FromSeconds(30));
        Assert.True(json.ExitCode == 0, json.ToString());
        var tests = JsonDocument.Parse(json.Output).RootElement.GetProperty("tests");
        return [.. tests.EnumerateArray()
            .SelectMany(t => t.TryGetProperty("alert_rule_test", out var cases) ? cases.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Where(c => c.TryGetProperty("exp_alerts", out var expected) && expected.GetArrayLength() > 0)
            .Select(c => c.GetProperty("alertname").GetString()!)];
    }
}
