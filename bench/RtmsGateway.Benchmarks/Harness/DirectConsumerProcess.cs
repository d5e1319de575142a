using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace RtmsGateway.Benchmarks.Harness;

/// <summary>
/// The parent's side of <see cref="DirectConsumerHost"/>: the benchmark's own executable started again with
/// <c>--direct-consumer</c> (inheriting this process's CPU affinity), told which meetings to read, and asked for each
/// window's figures.
/// </summary>
internal sealed class DirectConsumerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private DirectConsumerProcess(Process process) => _process = process;

    /// <summary>One window of the consumers: audio frames, frames missing from the Zoom timestamps, latency percentiles, CPU used.</summary>
    public sealed record Window(long Frames, long Missed, double P50, double P99, double P999, double CpuSeconds);

    public static DirectConsumerProcess Start()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        info.ArgumentList.Add("--direct-consumer");
        info.Environment["DOTNET_gcServer"] = "0";
        return new DirectConsumerProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    public int ProcessId => _process.Id;

    public Task AddAsync(Uri signaling, string meetingUuid, string streamId) => SendAsync($"meeting {signaling} {meetingUuid} {streamId}");

    /// <summary>Connects every meeting added since the last call; returns how many are connected in all.</summary>
    public async Task<int> ConnectAsync()
    {
        await SendAsync("connect");
        return int.Parse((await ExpectAsync("connected"))[0], CultureInfo.InvariantCulture);
    }

    public async Task StartWindowAsync()
    {
        await SendAsync("window");
        await ExpectAsync("ok");
    }

    public async Task<Window> EndWindowAsync()
    {
        await SendAsync("report");
        var v = (await ExpectAsync("report")).Select(w => double.Parse(w, CultureInfo.InvariantCulture)).ToArray();
        return new Window((long)v[0], (long)v[1], v[2], v[3], v[4], v[5]);
    }

    private async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    private async Task<string[]> ExpectAsync(string verb)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var line = await _process.StandardOutput.ReadLineAsync(timeout.Token)
            ?? throw new InvalidOperationException($"The direct consumer process exited (code {(_process.HasExited ? _process.ExitCode : -1)}) before answering '{verb}'.");
        var words = line.Split(' ');
        return words[0] == verb ? words[1..] : throw new InvalidOperationException($"The direct consumer answered '{line}', not '{verb}'.");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SendAsync("exit");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
