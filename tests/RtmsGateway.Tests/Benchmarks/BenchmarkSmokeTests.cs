using System.Text.Json;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Benchmarks;

/// <summary>The benchmark's 20-second smoke mode runs every scenario end to end and reports complete figures.</summary>
public sealed class BenchmarkSmokeTests
{
    [Fact]
    public async Task Smoke_mode_measures_every_scenario_without_loss()
    {
        var output = Directory.CreateTempSubdirectory("rtms-bench-").FullName;
        try
        {
            var run = await ExternalProcess.RunAsync("dotnet", [RepositoryPaths.BenchmarkDll, "--smoke", "--out", output], TimeSpan.FromMinutes(3));
            Assert.True(run.ExitCode == 0, run.ToString());
            using var results = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "smoke.json")));
            var figures = results.RootElement.GetProperty("Figures").EnumerateArray()
                .ToDictionary(f => f.GetProperty("Name").GetString()!, f => f.GetProperty("Value"));
            double Value(string name) => figures[name].ValueKind == JsonValueKind.Number ? figures[name].GetDouble() : double.NaN;

            Assert.True(Value("gateway latency p99 @ 20 meetings") > 0, run.Output);
            Assert.True(Value("direct latency p99 @ 20 meetings") > 0, run.Output);
            Assert.True(Value("gateway CPU per audio frame @ 20 meetings") > 0, run.Output);
            // The direct consumers run in their own process: their CPU is measured apart from the simulator's.
            Assert.True(Value("direct consumer CPU per audio frame @ 20 meetings") > 0, run.Output);
            Assert.True(Value("ratio gateway/direct CPU per audio frame @ 20 meetings") > 0, run.Output);
            Assert.True(Value("gateway managed allocation per audio frame @ 20 meetings") > 0, run.Output);
            Assert.Equal(0, Value("messages lost @ 20 meetings (audio+transcripts+events)"));
            Assert.True(Value("fan-out 1 meeting -> 50 subscribers p99") > 0, run.Output);
            Assert.True(Value("cluster: failover, owner SIGKILL -> relayed subscriber receiving") > 0, run.Output);
            Assert.True(File.Exists(Path.Combine(output, "smoke.md")));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
