using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;
using RtmsGateway.Testing;

namespace RtmsGateway.Benchmarks.Harness;

/// <summary>
/// Profiles of a loaded gateway (<c>--profile &lt;dir&gt;</c>), recorded after a scenario's measured windows under the same
/// load, so they show what bounds its figures: where the CPU goes (<c>perf record</c> of the process, JIT-compiled code
/// resolved through the perf map the gateway writes with <c>DOTNET_PerfMapEnabled=1</c>), and what it allocates (the
/// runtime's allocation ticks, one per ~100 KB allocated, read over EventPipe), scaled to bytes per audio frame, and
/// which system calls it makes per audio frame (<c>strace -c -f</c>, when strace is installed; recorded last, since
/// ptrace slows every call down: the counts per frame are what it shows, not the times).
/// </summary>
internal sealed class GatewayProfiler(string directory, TimeSpan duration)
{
    public string Directory { get; } = directory;

    /// <summary>Records the profiles of <paramref name="gateway"/>; <paramref name="audioFramesPerSecond"/> scales the allocations,
    /// <paramref name="audioFramesDelivered"/> (a running count of audio frames subscribers received) the system calls.</summary>
    public async Task RecordAsync(GatewayReplica gateway, string label, double audioFramesPerSecond, Func<long> audioFramesDelivered)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var name = new string([.. label.Select(c => char.IsLetterOrDigit(c) ? c : '-')]).Trim('-');
        await File.WriteAllTextAsync(Path.Combine(Directory, name + "-alloc.txt"), await AllocationsAsync(gateway.ProcessId, audioFramesPerSecond));
        await File.WriteAllTextAsync(Path.Combine(Directory, name + "-perf.txt"), await CpuAsync(gateway.ProcessId, Path.Combine(Directory, name + ".perf.data")));
        var before = audioFramesDelivered();
        var syscalls = await SystemCallsAsync(gateway.ProcessId, Path.Combine(Directory, name + ".strace"));
        await File.WriteAllTextAsync(Path.Combine(Directory, name + "-syscalls.txt"), PerFrame(syscalls, audioFramesDelivered() - before));
        Console.WriteLine($"  profiles of {label}: {Path.Combine(Directory, name)}-perf.txt, -alloc.txt, -syscalls.txt");
    }

    /// <summary>Allocation ticks by type over the profile's duration: sampled bytes, share, and bytes per audio frame.</summary>
    private async Task<string> AllocationsAsync(int processId, double audioFramesPerSecond)
    {
        var providers = new[] { new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GC) };
        using var session = new DiagnosticsClient(processId).StartEventPipeSession(providers, requestRundown: false);
        var byType = new Dictionary<string, long>(StringComparer.Ordinal);
        var parse = Task.Run(() =>
        {
            using var source = new EventPipeEventSource(session.EventStream);
            source.Clr.GCAllocationTick += e => byType[e.TypeName ?? "?"] = byType.GetValueOrDefault(e.TypeName ?? "?") + e.AllocationAmount64;
            source.Process();
        });
        await Task.Delay(duration);
        await session.StopAsync(CancellationToken.None);
        await parse;
        var total = byType.Values.Sum();
        var frames = audioFramesPerSecond * duration.TotalSeconds;
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"allocation ticks over {duration.TotalSeconds:0} s: {total / 1e6:0.0} MB sampled, {total / frames:0} B per audio frame ({frames:0} frames)")
            .AppendLine("bytes/frame  share  type");
        foreach (var (type, bytes) in byType.OrderByDescending(p => p.Value).Take(30))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{bytes / frames,11:0.0}  {100.0 * bytes / total,4:0}%  {type}");
        }
        return text.ToString();
    }

    /// <summary><c>strace -c -f</c> of the process over the profile's duration (interrupted, so it prints its summary).</summary>
    private async Task<string?> SystemCallsAsync(int processId, string output)
    {
        var seconds = ((int)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        try
        {
            var run = await ExternalProcess.RunAsync("timeout", ["-s", "INT", seconds, "strace", "-c", "-f", "-p", processId.ToString(CultureInfo.InvariantCulture), "-o", output], duration + TimeSpan.FromMinutes(1));
            return File.Exists(output) ? await File.ReadAllTextAsync(output) : $"strace did not run ({run.ExitCode}): {run.Error}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"strace did not run: {ex.Message}";
        }
    }

    /// <summary>The strace summary with a column of calls per audio frame delivered meanwhile.</summary>
    private static string PerFrame(string? summary, long frames)
    {
        var text = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"system calls per audio frame ({frames} audio frames delivered while strace ran)");
        text.AppendLine("calls/frame  errors/frame  syscall");
        foreach (var line in (summary ?? string.Empty).Split('\n'))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // "% time  seconds  usecs/call  calls  [errors]  syscall"
            if (words.Length is 5 or 6 && long.TryParse(words[3], CultureInfo.InvariantCulture, out var calls) && frames > 0)
            {
                var errors = words.Length == 6 && long.TryParse(words[4], CultureInfo.InvariantCulture, out var e) ? e : 0;
                text.AppendLine(CultureInfo.InvariantCulture, $"{(double)calls / frames,11:0.000}  {(double)errors / frames,12:0.000}  {words[^1]}");
            }
        }
        return text.AppendLine().AppendLine(summary).ToString();
    }

    /// <summary><c>perf record</c> of the process over the profile's duration, reported flat by symbol and by shared object.</summary>
    private async Task<string> CpuAsync(int processId, string data)
    {
        var seconds = ((int)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var record = await ExternalProcess.RunAsync("perf", ["record", "-F", "499", "-g", "-p", processId.ToString(CultureInfo.InvariantCulture), "-o", data, "--", "sleep", seconds], duration + TimeSpan.FromMinutes(1));
        if (record.ExitCode != 0)
        {
            return $"perf record failed ({record.ExitCode}): {record.Error}";
        }
        var bySymbol = await ExternalProcess.RunAsync("perf", ["report", "-i", data, "--stdio", "--no-children", "--sort", "symbol", "--percent-limit", "0.5", "-g", "none"], TimeSpan.FromMinutes(3));
        var byObject = await ExternalProcess.RunAsync("perf", ["report", "-i", data, "--stdio", "--no-children", "--sort", "dso", "-g", "none"], TimeSpan.FromMinutes(3));
        var withCallers = await ExternalProcess.RunAsync("perf", ["report", "-i", data, "--stdio", "--children", "--sort", "symbol", "--percent-limit", "3", "-g", "none"], TimeSpan.FromMinutes(3));
        return $"== self time by shared object\n{byObject.Output}\n== self time by symbol (>= 0.5 %)\n{bySymbol.Output}\n== time including callees (>= 3 %)\n{withCallers.Output}";
    }
}
