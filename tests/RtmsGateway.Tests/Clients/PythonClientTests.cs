using System.Diagnostics;
using System.Text.Json;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Cluster;

namespace RtmsGateway.Tests.Clients;

/// <summary>
/// The Python client library (clients/python) against real gateway processes: a program that uses only the library
/// keeps its subscription's loop through a kill -9 of the session's owner, accounting for every sequence (delivered,
/// or inside exactly one gap); errors a retry cannot fix are raised at once; and the library's own unittest suite of
/// retry decisions passes.
/// </summary>
public sealed class PythonClientTests
{
    private const string Python = "/usr/bin/python3";
    private static readonly string ClientFolder = Path.Combine(RepositoryPaths.Root, "clients", "python");
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private static Process Start(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ClientFolder,
        };
        info.ArgumentList.Add("-u");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        return Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
    }

    private static IEnumerable<string> AddressArguments(IEnumerable<GatewayReplica> replicas) =>
        replicas.SelectMany(r => new[] { "--address", r.GrpcUrl.ToString() });

    [Fact]
    public async Task A_python_subscription_survives_a_kill_of_the_owner_and_accounts_for_every_sequence()
    {
        await using var cluster = await ClusterUnderTest.StartAsync();
        var meeting = await cluster.StartMeetingAsync(via: cluster.Replicas[0]);
        var owner = cluster.Replica(await cluster.OwnerOfAsync(meeting.StreamId));
        using var program = Start(new[] { "tests/failover_consumer.py", "failover", "--stream", meeting.StreamId }.Concat(AddressArguments(cluster.Replicas)));
        var error = program.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        var lines = new List<string>();
        try
        {
            string? line;
            while ((line = await program.StandardOutput.ReadLineAsync(timeout.Token)) is not null)
            {
                lines.Add(line);
                if (line == "READY 25")
                {
                    owner.Kill(); // SIGKILL, mid-stream; the program has no code for it
                }
            }
            await program.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            program.Kill(entireProcessTree: true);
            Assert.Fail($"the Python program did not finish in {Limit}:\n{string.Join('\n', lines)}\nstderr:\n{await error}");
        }
        var output = $"{string.Join('\n', lines)}\nstderr:\n{await error}";
        Assert.True(lines.Contains("READY 25"), output);
        Assert.True(owner.HasExited, output);
        using var summary = JsonDocument.Parse(lines[^1]);
        Assert.True(summary.RootElement.GetProperty("ok").GetBoolean(), output);
        // What the dead owner sent after the last frame delivered is announced once, as an owner change.
        Assert.Contains(summary.RootElement.GetProperty("gaps").EnumerateArray(), g => g.GetProperty("reason").GetString() == "REASON_OWNER_CHANGED");
        Assert.True(summary.RootElement.GetProperty("delivered").GetInt32() >= 75, output);
        Assert.Equal(0, program.ExitCode);
    }

    [Fact]
    public async Task A_python_subscription_to_an_unknown_stream_raises_not_found_at_once_with_its_reason()
    {
        await using var gateway = await Infrastructure.GatewayUnderTest.StartAsync();
        var started = Stopwatch.StartNew();
        var run = await ExternalProcess.RunAsync(Python, ["-u", "tests/failover_consumer.py", "not-found", "--address", gateway.GrpcUrl.ToString()], Limit, ClientFolder);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var result = JsonDocument.Parse(run.Output.Trim().Split('\n')[^1]);
        Assert.Equal("NOT_FOUND", result.RootElement.GetProperty("code").GetString());
        Assert.Equal("SESSION_NOT_FOUND", result.RootElement.GetProperty("reason").GetString());
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"not at once: {started.Elapsed}");
    }

    [Fact]
    public Task The_python_examples_print_transcripts_record_wav_files_and_save_key_frames() =>
        Examples.ExampleScenario.RunAsync((name, arguments) => RunningProgram.Start(Python, ["-u", $"examples/{name}.py", .. arguments], ClientFolder));

    /// <summary>The unit tests of the retry decisions and backoff, in Python's own runner (stdlib unittest).</summary>
    public static TheoryData<string> UnitTests() =>
    [
        "tests.test_retry.RetryDecisionTests.test_only_what_a_retry_can_fix_is_retried",
        "tests.test_retry.RetryDecisionTests.test_unavailable_and_transient_failures_move_to_the_next_replica",
        "tests.test_retry.RetryDecisionTests.test_retry_info_is_honoured_as_a_minimum",
        "tests.test_retry.RetryDecisionTests.test_a_full_session_is_retried_no_sooner_than_the_gateway_asks_on_another_replica",
        "tests.test_retry.RetryDecisionTests.test_a_limit_without_retry_info_is_not_retried_blindly",
        "tests.test_retry.RetryDecisionTests.test_an_overflow_resumes_at_once_on_the_same_replica",
        "tests.test_retry.RetryDecisionTests.test_details_name_the_reason_the_delay_and_the_resume_point",
        "tests.test_retry.BackoffTests.test_backoff_grows_to_its_cap_and_is_jittered",
    ];

    [Theory]
    [MemberData(nameof(UnitTests))]
    public async Task The_python_unit_test_passes(string test)
    {
        var run = await ExternalProcess.RunAsync(Python, ["-m", "unittest", "-v", test], Limit, ClientFolder);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Ran 1 test", run.Error);
    }

    [Fact]
    public async Task Every_python_unit_test_is_run_by_this_class()
    {
        var run = await ExternalProcess.RunAsync(Python, ["-m", "unittest", "discover", "-s", "tests", "-t", ".", "-p", "test_*.py"], Limit, ClientFolder);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"Ran {UnitTests().Count} tests", run.Error);
    }
}
