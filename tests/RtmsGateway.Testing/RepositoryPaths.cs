namespace RtmsGateway.Testing;

/// <summary>Locates the repository and the built gateway from the test assembly.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The gateway assembly built in the same configuration as the tests (Debug or Release).</summary>
    public static string GatewayDll => Built("src", "RtmsGateway");

    /// <summary>The C# client library's examples (clients/csharp/examples) built in the same configuration as the tests.</summary>
    public static string ClientExamplesDll => Built(Path.Combine("clients", "csharp", "examples"), "RtmsGateway.Client.Examples");

    /// <summary>The benchmark harness built in the same configuration as the tests.</summary>
    public static string BenchmarkDll => Built("bench", "RtmsGateway.Benchmarks");

    private static string Built(string folder, string project)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(Root, folder, project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the solution first ({path} is missing).");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RtmsGateway.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("RtmsGateway.sln not found above " + AppContext.BaseDirectory);
    }
}
