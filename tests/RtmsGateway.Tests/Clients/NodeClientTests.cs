using System.Text.Json;
using System.Text.RegularExpressions;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Cluster;

namespace RtmsGateway.Tests.Clients;

/// <summary>
/// The Node.js client library (clients/node, @rtms-gateway/client) against real gateway processes: a program that uses
/// only the library survives a kill -9 of the session's owner with no code of its own and accounts for every sequence;
/// errors a retry cannot fix end a subscription at once; the library's own unit tests (node --test) and type
/// declarations (tsc --noEmit) pass.
/// </summary>
public sealed partial class NodeClientTests
{
    private static readonly string ClientDir = Path.Combine(RepositoryPaths.Root, "clients", "node");

    [Fact]
    public async Task A_subscription_survives_a_kill_of_the_owner_and_accounts_for_every_sequence()
    {
        await using var cluster = await ClusterUnderTest.StartAsync();
        var meeting = await cluster.StartMeetingAsync(via: cluster.Replicas[0]);
        var owner = cluster.Replica(await cluster.OwnerOfAsync(meeting.StreamId));
        var arguments = new List<string> { "tests/failover-consumer.js", "--stream", meeting.StreamId };
        arguments.AddRange(cluster.Replicas.Select(r => r.GrpcUrl.ToString()));
        await using var program = RunningProgram.Start("node", arguments, ClientDir);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var ready = await program.ReadLineAsync(line => line == "READY" || line.StartsWith("SUMMARY ", StringComparison.Ordinal), timeout.Token);
        Assert.True(ready == "READY", $"the program did not get 25 messages: {ready}\n{program.Transcript()}");
        owner.Kill(); // SIGKILL, mid-stream; the program has no code for it
        var summaryLine = await program.ReadLineAsync(line => line.StartsWith("SUMMARY ", StringComparison.Ordinal), timeout.Token);
        var exitCode = await program.WaitForExitAsync(timeout.Token);

        Assert.True(summaryLine is not null, $"no summary\n{program.Transcript()}\n{cluster.Diagnostics()}");
        using var summary = JsonDocument.Parse(summaryLine!["SUMMARY ".Length..]);
        var root = summary.RootElement;
        Assert.True(root.GetProperty("ok").GetBoolean(), $"{summaryLine}\n{program.Transcript()}");
        Assert.True(root.GetProperty("delivered").GetInt32() >= 75, summaryLine);
        // What the dead owner sent after the last frame delivered is announced once, as an owner change.
        Assert.Contains(root.GetProperty("gaps").EnumerateArray(), g => g.GetProperty("reason").GetString() == "REASON_OWNER_CHANGED");
        Assert.True(exitCode == 0, $"exit {exitCode}\n{program.Transcript()}");
    }

    [Fact]
    public async Task A_subscription_to_an_unknown_stream_throws_NOT_FOUND_at_once_with_its_reason()
    {
        await using var gateway = await Infrastructure.GatewayUnderTest.StartAsync();
        var run = await ExternalProcess.RunAsync("node", ["tests/not-found.js", gateway.GrpcUrl.ToString()], TimeSpan.FromSeconds(60), ClientDir);
        Assert.True(run.ExitCode == 0, run.ToString());
        var line = run.Output.Split('\n').Single(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        using var result = JsonDocument.Parse(line["RESULT ".Length..]);
        var root = result.RootElement;
        Assert.True(root.GetProperty("thrown").GetBoolean(), run.ToString());
        Assert.Equal("NOT_FOUND", root.GetProperty("code").GetString());
        Assert.Equal("SESSION_NOT_FOUND", root.GetProperty("reason").GetString());
        Assert.Equal(0, root.GetProperty("retries").GetInt32());
    }

    [Fact]
    public async Task The_retry_decisions_and_the_resuming_iterator_pass_their_node_unit_tests()
    {
        var run = await ExternalProcess.RunAsync("node", ["--test", "tests/retry.test.js", "tests/subscription.test.js"], TimeSpan.FromSeconds(120), ClientDir);
        Assert.True(run.ExitCode == 0, run.ToString());
        var passed = int.Parse(PassLine().Match(run.Output).Groups[1].Value);
        Assert.True(passed >= 20, run.ToString());
        Assert.Matches(FailLine(), run.Output);
    }

    [Fact]
    public Task The_examples_print_transcripts_record_wav_files_and_save_key_frames() =>
        Examples.ExampleScenario.RunAsync((name, arguments) => RunningProgram.Start("node", [$"examples/{name}.js", .. arguments], ClientDir));

    [Fact]
    public async Task The_type_declarations_check_with_tsc()
    {
        var tsc = Path.Combine(RepositoryPaths.Root, "node_modules", "typescript", "bin", "tsc");
        var run = await ExternalProcess.RunAsync("node", [tsc, "--noEmit", "-p", "tests/tsconfig.json"], TimeSpan.FromSeconds(180), ClientDir);
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [GeneratedRegex(@"^# pass (\d+)$", RegexOptions.Multiline)]
    private static partial Regex PassLine();

    [GeneratedRegex(@"^# fail 0$", RegexOptions.Multiline)]
    private static partial Regex FailLine();
}
