using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace RtmsGateway.Testing;

/// <summary>
/// An external program whose standard output is read line by line while it runs, so a test can wait for what it
/// prints (a readiness signal) instead of sleeping, stop it with SIGTERM as a service manager would, and show
/// everything it printed when an assertion fails.
/// </summary>
public sealed class RunningProgram : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _transcript = new();
    private readonly Task _readers;

    private RunningProgram(Process process)
    {
        _process = process;
        _readers = Task.WhenAll(ReadAsync(process.StandardOutput, string.Empty, _lines.Writer), ReadAsync(process.StandardError, "stderr: ", null));
    }

    public static RunningProgram Start(string file, IEnumerable<string> arguments, string? workingDirectory = null) =>
        new(ExternalProcess.Start(file, arguments, workingDirectory));

    /// <summary>The next line of standard output that matches, or null when the output ended first.</summary>
    public async Task<string?> ReadLineAsync(Func<string, bool> match, CancellationToken ct)
    {
        while (await _lines.Reader.WaitToReadAsync(ct))
        {
            while (_lines.Reader.TryRead(out var line))
            {
                if (match(line))
                {
                    return line;
                }
            }
        }
        return null;
    }

    /// <summary>Sends SIGTERM (a graceful stop).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Waits for the exit and for all output; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken ct)
    {
        await _process.WaitForExitAsync(ct);
        await _readers.WaitAsync(ct);
        return _process.ExitCode;
    }

    /// <summary>Everything printed so far (standard error lines prefixed).</summary>
    public string Transcript()
    {
        lock (_transcript)
        {
            return _transcript.ToString();
        }
    }

    private async Task ReadAsync(StreamReader reader, string prefix, ChannelWriter<string>? lines)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_transcript)
            {
                _transcript.Append(prefix).AppendLine(line);
            }
            lines?.TryWrite(line);
        }
        lines?.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
