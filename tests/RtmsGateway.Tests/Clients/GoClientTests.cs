using System.Diagnostics;
using System.Text;
using System.Text.Json;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Cluster;

namespace RtmsGateway.Tests.Clients;

/// <summary>Builds the Go client (clients/go/build.sh: stubs generated from the proto, GOPATH mode, offline) once per class.</summary>
public sealed class GoClientBuild : IAsyncLifetime
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "rtms-go-client-" + Guid.NewGuid().ToString("N"));

    public string Script => Path.Combine(RepositoryPaths.Root, "clients", "go", "build.sh");

    public string Program(string name) => Path.Combine(Directory, "bin", name);

    public async Task InitializeAsync()
    {
        var build = await ExternalProcess.RunAsync(Script, [Directory], TimeSpan.FromMinutes(10));
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException("clients/go/build.sh failed: " + build);
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return Task.CompletedTask;
    }
}

/// <summary>
/// The Go client library (clients/go) against real gateway processes: a Go program that uses only the library survives
/// a kill -9 of the session's owner with no code of its own and accounts for every sequence (delivered, or inside
/// exactly one gap); an unknown stream ends the subscription at once with NOT_FOUND / SESSION_NOT_FOUND; and the
/// library's go test unit tests pass.
/// </summary>
public sealed class GoClientTests(GoClientBuild go) : IClassFixture<GoClientBuild>
{
    [Fact]
    public async Task A_go_subscription_survives_a_kill_of_the_owner_and_accounts_for_every_sequence()
    {
        await using var cluster = await ClusterUnderTest.StartAsync();
        var meeting = await cluster.StartMeetingAsync(via: cluster.Replicas[0]);
        var owner = cluster.Replica(await cluster.OwnerOfAsync(meeting.StreamId));
        var addresses = string.Join(",", cluster.Replicas.Select(r => r.GrpcUrl.ToString()));

        var info = new ProcessStartInfo(go.Program("failover"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-addresses", addresses, "-stream", meeting.StreamId, "-timeout", "90s" })
        {
            info.ArgumentList.Add(argument);
        }
        using var program = Process.Start(info) ?? throw new InvalidOperationException("the Go program did not start");
        var stderr = program.StandardError.ReadToEndAsync();
        var output = new StringBuilder();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var killed = false;
        string? summary = null;
        try
        {
            while (await program.StandardOutput.ReadLineAsync(limit.Token) is { } line)
            {
                output.AppendLine(line);
                if (!killed && line == "delivered 25")
                {
                    owner.Kill(); // SIGKILL, mid-stream; the Go program has no code for it
                    killed = true;
                }
                if (line.StartsWith('{'))
                {
                    summary = line;
                }
            }
            await program.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            program.Kill(entireProcessTree: true);
            await program.WaitForExitAsync();
            Assert.Fail($"the Go program did not finish in time\nstdout:\n{output}\nstderr:\n{await stderr}\n{cluster.Diagnostics()}");
        }
        var report = $"exit {program.ExitCode}\nstdout:\n{output}\nstderr:\n{await stderr}";
        Assert.True(killed, "the program never delivered 25 messages: " + report);
        Assert.NotNull(summary);
        using var json = JsonDocument.Parse(summary);
        var root = json.RootElement;
        Assert.True(root.GetProperty("ok").GetBoolean(), report);
        Assert.Equal(0, program.ExitCode);
        Assert.True(root.GetProperty("delivered").GetInt32() >= 75, report);
        // What the dead owner sent after the last frame delivered is announced once, as an owner change.
        Assert.Contains(root.GetProperty("gaps").EnumerateArray(), g => g.GetProperty("reason").GetString() == "OWNER_CHANGED");
        Assert.True(RtmsGateway.Sessions.Sequences.EpochOf(root.GetProperty("first_of_new_epoch").GetUInt64()) > 1, report);
    }

    [Fact]
    public async Task A_go_subscription_to_an_unknown_stream_ends_at_once_with_not_found()
    {
        await using var gateway = await Infrastructure.GatewayUnderTest.StartAsync();
        var run = await ExternalProcess.RunAsync(go.Program("notfound"), ["-addresses", gateway.GrpcUrl.ToString(), "-stream", "no-such-stream"], TimeSpan.FromSeconds(60));
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output.Trim().Split('\n')[^1]);
        var root = json.RootElement;
        Assert.Equal("NotFound", root.GetProperty("code").GetString());
        Assert.Equal("SESSION_NOT_FOUND", root.GetProperty("reason").GetString());
        Assert.Equal(0, root.GetProperty("items").GetInt32());
        // At once: not retried with backoff (a retried call would keep going for the give-up time, 5 minutes).
        Assert.True(root.GetProperty("elapsed_ms").GetInt64() < 5000, run.ToString());
    }

    [Fact]
    public Task The_go_examples_print_transcripts_record_wav_files_and_save_key_frames() =>
        Examples.ExampleScenario.RunAsync((name, arguments) => RunningProgram.Start(go.Program(name), arguments));

    [Fact]
    public async Task The_go_unit_tests_pass()
    {
        var run = await ExternalProcess.RunAsync(go.Script, [go.Directory, "test"], TimeSpan.FromMinutes(10));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("--- PASS: TestASubscriptionResumesOnTheNextReplicaSkipsReplaysAndEndsWithEOF", run.Output, StringComparison.Ordinal);
        Assert.Contains("--- PASS: TestTheRequestedAudioFormatIsSentOnEveryCallAcrossAResume", run.Output, StringComparison.Ordinal);
        Assert.Contains("--- PASS: TestAWavFileHoldsTheFramesAndTheSilenceOfEveryGapWithAFinalHeader", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("--- FAIL", run.Output, StringComparison.Ordinal);
    }
}
