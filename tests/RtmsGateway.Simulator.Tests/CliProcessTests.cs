using System.Diagnostics;
using System.Globalization;
using RtmsGateway.Simulator.Cli;

namespace RtmsGateway.Simulator.Tests;

/// <summary>The CLI as a real process (<c>dotnet RtmsGateway.Simulator.dll</c>): SIGTERM and SIGINT end its meetings and
/// it exits 0 promptly.</summary>
public sealed class CliProcessTests
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("TERM", "SIGTERM")]
    [InlineData("INT", "SIGINT")]
    public async Task A_stop_signal_ends_the_meetings_and_the_process_exits_0(string signal, string name)
    {
        await using var inbox = await WebhookInbox.StartAsync("cli-secret");
        using var process = StartCli(
            "--gateway", inbox.Url.ToString(), "--meetings", "2", "--keepalive", "200ms",
            "--client-id", "cli-client", "--client-secret", "cli-client-secret", "--webhook-secret", "cli-secret");
        var output = new ProcessOutput(process);
        try
        {
            await output.WaitForLineAsync(SimulatorCommand.ReadyLine, ReadyTimeout);
            var started = new[] { await inbox.ExpectAsync("rtms_started"), await inbox.ExpectAsync("rtms_started") };

            var sentAt = Stopwatch.StartNew();
            Signal(process, signal);
            using var bound = new CancellationTokenSource(ExitBound);
            await process.WaitForExitAsync(bound.Token);
            sentAt.Stop();

            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}\n{output}");
            Assert.Contains($"{name} received", output.ToString(), StringComparison.Ordinal);
            var stopped = new[] { await inbox.ExpectAsync("rtms_stopped"), await inbox.ExpectAsync("rtms_stopped") };
            Assert.Equal(
                started.Select(w => (string)w.Field("rtms_stream_id")!).Order(),
                stopped.Select(w => (string)w.Field("rtms_stream_id")!).Order());
            Assert.True(sentAt.Elapsed < ExitBound, $"exited {sentAt.Elapsed} after {name}");
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the CLI did not exit within {ExitBound} after {name}:\n{output}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>
    /// Starts the built CLI. A shell that starts background jobs without job control makes them ignore SIGINT, and the
    /// runtime keeps an inherited "ignore" (as <c>nohup</c> wants); the test needs SIGINT delivered, so then the CLI is
    /// started through an exec wrapper that restores the default first (same process, same pid).
    /// </summary>
    private static Process StartCli(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "RtmsGateway.Simulator.dll");
        var info = new ProcessStartInfo(SigIntIgnored() ? "python3" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (info.FileName == "python3")
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])");
            info.ArgumentList.Add("dotnet");
        }
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
    }

    /// <summary>Whether this process ignores SIGINT (bit 2 of <c>SigIgn</c> in /proc/self/status); children inherit it.</summary>
    private static bool SigIntIgnored()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & 0x2) != 0;
    }

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill!.WaitForExit();
    }

    /// <summary>Collects a process's stdout and stderr and lets a test wait for a line.</summary>
    private sealed class ProcessOutput
    {
        private readonly System.Text.StringBuilder _text = new();
        private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];

        public ProcessOutput(Process process)
        {
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public async Task WaitForLineAsync(string text, TimeSpan timeout)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_text)
            {
                if (_text.ToString().Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
                _waiters.Add((text, seen));
            }
            try
            {
                await seen.Task.WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"no line '{text}' within {timeout}:\n{this}");
            }
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_text)
            {
                _text.AppendLine(line);
                foreach (var waiter in _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
                {
                    waiter.Seen.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }

        public override string ToString()
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }
}
