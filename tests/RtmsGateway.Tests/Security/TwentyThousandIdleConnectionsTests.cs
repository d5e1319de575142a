using System.Diagnostics;
using System.Globalization;
using RtmsGateway.Api.V1;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RtmsGateway.Tests.Security;

/// <summary>
/// Finding F1 at the scale it was found: 20 000 connections that never send a byte, opened by two attacker processes (one
/// process cannot hold them all under this machine's descriptor limit), from 40 source addresses, half to each port,
/// against a replica with the shipped connection budgets (nothing configured). Before, about 19 800 of them made the
/// runtime die with every meeting; after a first fix Kestrel's per-endpoint limit still let both ports fill the
/// descriptor limit (accept() then failed in a busy loop and the meeting lost seconds of audio, or the replica exited).
/// Now the replica stays alive, holds at most its budget (60 % of its descriptor limit, all ports together), and its
/// meeting keeps streaming to a subscriber without a gap. The descriptor count and resident memory at the budget's edge
/// are written to the test output (reported, not asserted beyond the bound). It runs alone, after the parallel tests.
/// </summary>
[Collection(RtmsGateway.Tests.Chaos.ChaosCollection.Name)]
public sealed class TwentyThousandIdleConnectionsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int PerAttacker = 10_000;
    private const int PerSourceAddress = 500;
    private RtmsSimulator _simulator = null!;
    private GatewayReplica _gateway = null!;

    public async Task InitializeAsync()
    {
        // Only what any deployment must set; Connections:* are left at their defaults on purpose.
        _gateway = await GatewayReplica.StartAsync("flood20k", new Dictionary<string, string?>
        {
            ["Zoom:ClientId"] = GatewayUnderTest.ClientId,
            ["Zoom:ClientSecret"] = GatewayUnderTest.ClientSecret,
            ["Zoom:WebhookSecretToken"] = GatewayUnderTest.WebhookSecret,
            ["Zoom:AllowInsecureRtmsUrls"] = "true",
            ["Zoom:RtmsHosts:0"] = "127.0.0.1",
            ["Zoom:AllowPrivateRtmsAddresses"] = "true",
            ["Simulation:Enabled"] = "false",
        });
        _simulator = await RtmsSimulator.StartAsync(new SimulatorOptions
        {
            ClientId = GatewayUnderTest.ClientId,
            ClientSecret = GatewayUnderTest.ClientSecret,
            WebhookSecretToken = GatewayUnderTest.WebhookSecret,
            WebhookUrl = _gateway.WebhookUrl,
            KeepAliveInterval = TimeSpan.FromMilliseconds(500),
        });
    }

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    [Fact]
    public async Task Twenty_thousand_silent_connections_leave_a_default_replica_alive_within_its_budget_and_streaming()
    {
        var meeting = _simulator.AddMeeting();
        using (var timeout = new CancellationTokenSource(StreamReading.DefaultTimeout))
        {
            await meeting.StartAsync(timeout.Token);
            await meeting.WaitForStreamingAsync(timeout.Token);
        }
        using var call = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId } });
        var frames = await StreamReading.ReadAsync(call.ResponseStream, 5, r => r.Frame is not null);
        using var reading = new CancellationTokenSource();
        var framesSeen = 0;
        var reader = Task.Run(async () =>
        {
            while (await call.ResponseStream.MoveNext(reading.Token))
            {
                frames.Add(call.ResponseStream.Current);
                Interlocked.Increment(ref framesSeen);
            }
        });
        var limit = SoftDescriptorLimit(_gateway.ProcessId);
        var budget = Math.Max(64, (long)(limit * 0.6));
        var baselineDescriptors = Descriptors(_gateway.ProcessId);
        var baselineResident = _gateway.ResidentBytes;

        // Half to the HTTP (webhook) port, half to the gRPC port, 500 per source address: the per-address budget (512)
        // lets each address in, so it is the total budget that has to hold.
        await using var http = await IdleFlood.StartAsync(_gateway.HttpUrl.Port, PerAttacker, "127.0.1.1", PerSourceAddress);
        await using var grpc = await IdleFlood.StartAsync(_gateway.GrpcUrl.Port, PerAttacker, "127.0.2.1", PerSourceAddress);
        var opened = http.Opened + grpc.Opened;
        Assert.True(opened >= Math.Min(2 * PerAttacker, budget), $"the attackers opened only {opened} connections");

        // The excess was accepted and closed at once; the gateway holds at most its budget and is still serving the meeting.
        var held = await UntilAsync(async () => await http.StillOpenAsync() + await grpc.StillOpenAsync(), open => open <= budget);
        var descriptors = Descriptors(_gateway.ProcessId);
        var resident = _gateway.ResidentBytes;
        var before = Volatile.Read(ref framesSeen);
        await UntilAsync(() => Task.FromResult(Volatile.Read(ref framesSeen)), seen => seen >= before + 50);
        Assert.False(_gateway.HasExited, _gateway.OutputTail(40));
        Assert.InRange(descriptors, 0, baselineDescriptors + budget + 64);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"descriptor limit {limit}, connection budget {budget}; attackers opened {opened}, gateway holds {held}; " +
            $"descriptors {baselineDescriptors} -> {descriptors}; resident {baselineResident / 1_048_576} MiB -> {resident / 1_048_576} MiB " +
            $"({(resident - baselineResident) / Math.Max(1, held)} B per held connection)"));

        await reading.CancelAsync();
        await reader.ContinueWith(static _ => { }, TaskScheduler.Default);
        Assert.DoesNotContain(frames, r => r.Gap is not null);
        var sequences = frames.Where(r => r.Frame is not null).Select(r => r.Frame.Header.Sequence).ToList();
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => sequences[0] + (ulong)i), sequences);
    }

    private int Descriptors(int pid) => Directory.Exists($"/proc/{pid}/fd") ? Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count() : throw new InvalidOperationException("the replica exited: " + _gateway.OutputTail(60));

    private static long SoftDescriptorLimit(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        return long.Parse(line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
    }

    /// <summary>Polls <paramref name="measure"/> until <paramref name="done"/> holds (generous deadline), returning the last value.</summary>
    private async Task<T> UntilAsync<T>(Func<Task<T>> measure, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var value = await measure();
            if (done(value))
            {
                return value;
            }
            Assert.False(_gateway.HasExited, "the replica exited: " + _gateway.OutputTail(80));
            Assert.True(DateTime.UtcNow < deadline, $"still {value} at the deadline");
            await Task.Delay(100);
        }
    }

    /// <summary>One attacker process (Security/Attackers/idle_flood.py) holding silent connections.</summary>
    private sealed class IdleFlood : IAsyncDisposable
    {
        private readonly Process _process;

        private IdleFlood(Process process, int opened)
        {
            _process = process;
            Opened = opened;
        }

        public int Opened { get; }

        public static async Task<IdleFlood> StartAsync(int port, int count, string firstSource, int perAddress)
        {
            var script = Path.Combine(AppContext.BaseDirectory, "Security", "Attackers", "idle_flood.py");
            var process = Process.Start(new ProcessStartInfo("/usr/bin/python3")
            {
                ArgumentList = { script, port.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture), firstSource, perAddress.ToString(CultureInfo.InvariantCulture) },
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            var flood = new IdleFlood(process, 0);
            var line = await flood.ReadLineAsync();
            return new IdleFlood(process, int.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture));
        }

        public async Task<int> StillOpenAsync()
        {
            await _process.StandardInput.WriteLineAsync("check");
            await _process.StandardInput.FlushAsync();
            return int.Parse((await ReadLineAsync()).Split(' ')[1], CultureInfo.InvariantCulture);
        }

        private async Task<string> ReadLineAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            return await _process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("the attacker process ended early");
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                _process.StandardInput.Close();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
            _process.Dispose();
        }
    }
}
