using System.Net;
using System.Net.Sockets;
using RtmsGateway.Api.V1;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.Security;

/// <summary>
/// Finding F1, as an attacker on the network sends it: thousands of TCP connections that never send a byte, to both
/// ports. Before, they piled up until the process hit its descriptor limit and the runtime died with every meeting. Now
/// the total and per-address budgets refuse the excess, silent connections are closed after the idle timeout, the
/// descriptor count stays bounded, and the meeting keeps streaming to its subscriber throughout.
/// </summary>
public sealed class ConnectionFloodTests : IAsyncLifetime
{
    private const int MaxConnections = 400;
    private RtmsSimulator _simulator = null!;
    private GatewayReplica _gateway = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayReplica.StartAsync("flood", new Dictionary<string, string?>
        {
            ["Zoom:ClientId"] = GatewayUnderTest.ClientId,
            ["Zoom:ClientSecret"] = GatewayUnderTest.ClientSecret,
            ["Zoom:WebhookSecretToken"] = GatewayUnderTest.WebhookSecret,
            ["Zoom:AllowInsecureRtmsUrls"] = "true",
            // The simulator listens on loopback: a test (or a local lab) must say so; production allows only Zoom's domains.
            ["Zoom:RtmsHosts:0"] = "127.0.0.1",
            ["Zoom:AllowPrivateRtmsAddresses"] = "true",
            ["Simulation:Enabled"] = "false",
            ["Connections:MaxConnections"] = MaxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Connections:MaxConnectionsPerAddress"] = "300",
            ["Connections:IdleTimeout"] = "00:00:03",
            ["Connections:HeadersTimeout"] = "00:00:03",
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

    private int GatewayDescriptors() => Directory.EnumerateFileSystemEntries($"/proc/{_gateway.ProcessId}/fd").Count();

    /// <summary>Polls a condition (with a generous deadline) instead of sleeping a guessed time.</summary>
    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Thousands_of_silent_connections_leave_the_gateway_alive_bounded_and_its_meeting_streaming()
    {
        var meeting = _simulator.AddMeeting();
        using (var timeout = new CancellationTokenSource(StreamReading.DefaultTimeout))
        {
            await meeting.StartAsync(timeout.Token);
            await meeting.WaitForStreamingAsync(timeout.Token);
        }
        using var call = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId } });
        var frames = await StreamReading.ReadAsync(call.ResponseStream, 5, r => r.Frame is not null);
        var baseline = GatewayDescriptors();

        // 3 000 silent connections from ten source addresses, to both ports: far beyond the budget of 400.
        var flood = new List<Socket>();
        for (var source = 2; source < 12; source++)
        {
            var address = IPAddress.Parse($"127.0.0.{source}");
            flood.AddRange(await IdleSockets.OpenAsync(_gateway.HttpUrl, 150, address));
            flood.AddRange(await IdleSockets.OpenAsync(_gateway.GrpcUrl, 150, address));
        }
        try
        {
            frames.AddRange(await StreamReading.ReadAsync(call.ResponseStream, 50, r => r.Frame is not null));
            Assert.False(_gateway.HasExited, _gateway.Output);
            // The excess is accepted and closed at once (the kernel queued it): wait for that, then count.
            await UntilAsync(() => IdleSockets.StillOpen(flood) <= MaxConnections, "the gateway should hold at most its budget of connections");
            Assert.InRange(GatewayDescriptors(), 0, baseline + MaxConnections + 50);

            // Silent connections are closed after the idle timeout; the descriptor count comes back down. The subscriber
            // is read meanwhile, so a stall of the meeting would show as a gap.
            using var reading = new CancellationTokenSource();
            var reader = Task.Run(async () =>
            {
                while (!reading.IsCancellationRequested && await call.ResponseStream.MoveNext(reading.Token))
                {
                    frames.Add(call.ResponseStream.Current);
                }
            });
            await UntilAsync(() => IdleSockets.StillOpen(flood) == 0, "silent connections should be closed after the idle timeout");
            await UntilAsync(() => GatewayDescriptors() <= baseline + 50, "the descriptor count should come back down");
            await reading.CancelAsync();
            await reader.ContinueWith(static _ => { }, TaskScheduler.Default);
        }
        finally
        {
            flood.ForEach(s => s.Dispose());
        }
        Assert.DoesNotContain(frames, r => r.Gap is not null);
        var sequences = frames.Where(r => r.Frame is not null).Select(r => r.Frame.Header.Sequence).ToList();
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => sequences[0] + (ulong)i), sequences);
        Assert.False(_gateway.HasExited);
    }

    [Fact]
    public async Task One_address_gets_at_most_its_budget_while_another_address_still_connects()
    {
        var greedy = await IdleSockets.OpenAsync(_gateway.HttpUrl, 350, IPAddress.Parse("127.0.0.20"));
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler
            {
                ConnectCallback = async (context, ct) =>
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.21"), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            });
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(_gateway.HttpUrl, "/healthz"))).StatusCode);
            // Accepted first and then refused, the excess reads end-of-stream at once.
            await UntilAsync(() => IdleSockets.StillOpen(greedy) <= 300, "one address should hold at most its budget");
            Assert.InRange(IdleSockets.StillOpen(greedy), 1, 300);
        }
        finally
        {
            greedy.ForEach(s => s.Dispose());
        }
    }
}
