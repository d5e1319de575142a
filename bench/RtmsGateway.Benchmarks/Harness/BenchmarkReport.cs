using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RtmsGateway.Benchmarks.Harness;

/// <summary>The results table: printed, and written as JSON and Markdown.</summary>
internal sealed class BenchmarkReport(BenchmarkSettings settings)
{
    private readonly List<Figure> _figures = [];

    public IReadOnlyList<Figure> Figures => _figures;

    public void Add(Figure figure)
    {
        _figures.Add(figure);
        Console.WriteLine($"  {figure.Name,-58} {figure.Display,10} {figure.Unit,-8} {figure.Target}");
    }

    public async Task WriteAsync()
    {
        Directory.CreateDirectory(settings.OutputDirectory);
        var name = settings.Smoke ? "smoke" : "latest";
        var machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}";
        var json = new BenchmarkResults(DateTimeOffset.UtcNow, settings.Smoke ? "smoke" : "full", machine, [.. _figures]);
        await File.WriteAllTextAsync(Path.Combine(settings.OutputDirectory, name + ".json"), JsonSerializer.Serialize(json, BenchmarkJsonContext.Default.BenchmarkResults));
        var md = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# RtmsGateway benchmark ({json.Mode}, {json.At:yyyy-MM-dd HH:mm} UTC)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine}")
            .AppendLine()
            .AppendLine("| figure | value | unit | target | note |")
            .AppendLine("|---|---:|---|---|---|");
        foreach (var f in _figures)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {f.Name} | {f.Display} | {f.Unit} | {f.Target} | {f.Note} |");
        }
        await File.WriteAllTextAsync(Path.Combine(settings.OutputDirectory, name + ".md"), md.ToString());
        Console.WriteLine($"written: {Path.Combine(settings.OutputDirectory, name)}.json/.md");
    }
}

internal sealed record BenchmarkResults(DateTimeOffset At, string Mode, string Machine, Figure[] Figures);

[JsonSourceGenerationOptions(WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(BenchmarkResults))]
internal sealed partial class BenchmarkJsonContext : JsonSerializerContext;
