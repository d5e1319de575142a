using RtmsGateway.Testing;

namespace RtmsGateway.Benchmarks.Harness;

/// <summary>
/// The gateway of another commit, built beside the working tree (<c>--baseline &lt;git-ref&gt;</c>): a detached git
/// worktree in the temporary folder (<c>rtms-gateway-baseline/&lt;sha&gt;</c>; outside the repository, where a second copy of
/// the benchmark project would confuse BenchmarkDotNet's <c>--micro</c>), built in Release once and reused, so a change is measured against
/// its baseline in one run on one machine (a ratio, not two runs' figures). The baseline runs the same scenarios with the
/// working tree's simulator and subscribers: the API is wire-compatible across commits.
/// </summary>
internal static class BaselineBuild
{
    public sealed record Build(string Commit, string GatewayDll);

    public static async Task<Build> PrepareAsync(string gitRef)
    {
        var sha = (await RunAsync("git", ["rev-parse", "--verify", gitRef + "^{commit}"], RepositoryPaths.Root)).Trim();
        var directory = Path.Combine(Path.GetTempPath(), "rtms-gateway-baseline", sha[..12]);
        var dll = Path.Combine(directory, "src", "RtmsGateway", "bin", "Release", "net10.0", "RtmsGateway.dll");
        if (!Directory.Exists(directory))
        {
            await RunAsync("git", ["worktree", "add", "--detach", directory, sha], RepositoryPaths.Root);
        }
        if (!File.Exists(dll))
        {
            Console.WriteLine($"building the baseline gateway {sha[..12]} ({gitRef}) in {directory}");
            await RunAsync("dotnet", ["build", Path.Combine(directory, "src", "RtmsGateway", "RtmsGateway.csproj"), "-c", "Release", "-nologo", "-v", "quiet"], directory);
        }
        return new Build(sha[..12], dll);
    }

    private static async Task<string> RunAsync(string file, string[] arguments, string directory)
    {
        var result = await ExternalProcess.RunAsync(file, arguments, TimeSpan.FromMinutes(10), directory);
        return result.ExitCode == 0 && !result.TimedOut ? result.Output : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {result}");
    }
}
