using System.Text.Json;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Benchmarks;

/// <summary>
/// The ownership load model (<c>ownership</c> command) at a tiny scale against a real redis-server: it reports its figures,
/// and after a replica is killed every orphan is claimed exactly once and the store agrees. Structure only: timings and
/// ratios are figures of the benchmark, never asserted here.
/// </summary>
public sealed class OwnershipLoadModelTests
{
    [Fact]
    public async Task Tiny_fleet_reports_figures_and_every_orphan_is_taken_over_exactly_once()
    {
        var output = Directory.CreateTempSubdirectory("rtms-ownership-").FullName;
        try
        {
            var run = await ExternalProcess.RunAsync("dotnet",
                [RepositoryPaths.BenchmarkDll, "ownership", "--sessions", "200", "--replicas", "2,4", "--warmup", "1s", "--duration", "2s",
                 "--lease-ttl", "1500ms", "--scan-interval", "250ms", "--out", output, "--name", "tiny"],
                TimeSpan.FromMinutes(2));
            Assert.True(run.ExitCode == 0, run.ToString());
            using var results = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "tiny.json")));
            var points = results.RootElement.GetProperty("Points").EnumerateArray().ToList();
            Assert.Equal([2, 4], points.Select(p => p.GetProperty("Replicas").GetInt32()));
            foreach (var point in points)
            {
                var figures = point.GetProperty("Figures").EnumerateArray()
                    .ToDictionary(f => f.GetProperty("Name").GetString()!, f => f.GetProperty("Value").GetDouble());
                Assert.Equal(200, figures["sessions acquired"]);
                Assert.True(figures["redis commands/s"] > 0, run.Output);
                Assert.True(figures["redis commands per session per second"] > 0, run.Output);
                Assert.True(figures.ContainsKey("redis CPU"), run.Output);
                Assert.True(figures["redis memory used"] > 0, run.Output);

                var orphans = figures["takeover: orphans of the killed replica"];
                Assert.Equal(200 / point.GetProperty("Replicas").GetInt32(), orphans);
                Assert.Equal(orphans, figures["takeover: orphans claimed exactly once"]);
                Assert.Equal(0, figures["takeover: orphans not claimed"]);
                Assert.Equal(0, figures["takeover: store disagrees (owner not a survivor, or epoch not victim's + 1)"]);
                Assert.True(figures["takeover latency max (last orphan claimed)"] > 0, run.Output);
            }
            Assert.True(File.Exists(Path.Combine(output, "tiny.md")));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
