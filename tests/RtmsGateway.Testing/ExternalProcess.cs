using System.Diagnostics;

namespace RtmsGateway.Testing;

/// <summary>Runs a command to completion (or its time limit), capturing its output.</summary>
public static class ExternalProcess
{
    public sealed record Result(int ExitCode, string Output, string Error, bool TimedOut)
    {
        public override string ToString() => $"exit {ExitCode}{(TimedOut ? " (timed out)" : string.Empty)}\nstdout:\n{Output}\nstderr:\n{Error}";
    }

    /// <summary>Starts <paramref name="file"/> with its output and errors redirected, in the repository root unless told.</summary>
    internal static Process Start(string file, IEnumerable<string> arguments, string? workingDirectory)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        return Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
    }

    public static async Task<Result> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        using var process = Start(file, arguments, workingDirectory);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        return new Result(process.ExitCode, await output, await error, timedOut);
    }
}
