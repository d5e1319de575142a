using System.Text.RegularExpressions;
using System.Xml.Linq;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Deploy;

/// <summary>
/// The Dockerfile stays true to the projects: its restore layer copies every project file the gateway needs before any
/// source (so a source change reuses the restored packages), it publishes without restoring again, and it runs on the
/// chiseled ASP.NET runtime as a non-root user.
/// </summary>
public sealed partial class ContainerImageTests
{
    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Dockerfile"));

    [Fact]
    public void The_restore_layer_copies_every_project_the_gateway_references_before_the_sources()
    {
        var lines = Dockerfile.Split('\n').Select(l => l.Trim()).ToList();
        var restore = lines.FindIndex(l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        var sources = lines.FindIndex(l => l.StartsWith("COPY src/ ", StringComparison.Ordinal));
        Assert.True(restore > 0 && sources > restore, "dotnet restore must run before the sources are copied");
        var copiedBeforeRestore = lines.Take(restore).Where(l => l.StartsWith("COPY ", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).SkipLast(1)).ToHashSet(StringComparer.Ordinal);
        foreach (var project in ProjectClosure("src/RtmsGateway/RtmsGateway.csproj"))
        {
            Assert.Contains(project, copiedBeforeRestore);
        }
        foreach (var build in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" })
        {
            Assert.Contains(build, copiedBeforeRestore);
        }
        Assert.Contains(lines, l => l.StartsWith("RUN dotnet publish", StringComparison.Ordinal) && l.Contains("--no-restore", StringComparison.Ordinal));
    }

    [Fact]
    public void It_runs_on_the_chiseled_runtime_as_a_non_root_user()
    {
        var stages = FromLine().Matches(Dockerfile).Select(m => m.Groups[1].Value).ToList();
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/aspnet:\d+\.\d+-[a-z]+-chiseled$", stages[^1]);
        var runtime = Dockerfile[Dockerfile.LastIndexOf("FROM ", StringComparison.Ordinal)..];
        Assert.Matches(@"(?m)^USER \$APP_UID\s*$", runtime);
        // A chiseled image has no shell: every runtime instruction is exec form.
        Assert.DoesNotMatch(@"(?m)^(RUN|ENTRYPOINT [^\[]|CMD [^\[])", runtime);
    }

    /// <summary>A project and every project it references, transitively, as repository-relative paths.</summary>
    private static SortedSet<string> ProjectClosure(string project)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next))
            {
                continue;
            }
            var directory = Path.GetDirectoryName(next)!;
            foreach (var reference in XDocument.Load(Path.Combine(RepositoryPaths.Root, next)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(RepositoryPaths.Root, directory, reference.Attribute("Include")!.Value));
                pending.Push(Path.GetRelativePath(RepositoryPaths.Root, full).Replace('\\', '/'));
            }
        }
        return seen;
    }

    [GeneratedRegex(@"(?m)^FROM (\S+)")]
    private static partial Regex FromLine();
}
