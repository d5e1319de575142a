using System.Globalization;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RtmsGateway.Api.V1;
using RtmsGateway.Hosting;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Infrastructure;

/// <summary>
/// A real gateway (Kestrel on loopback, h2c gRPC + HTTP) wired to a real RTMS simulator: webhooks travel over HTTP,
/// RTMS over WebSockets, subscribers over gRPC. Timers are shortened so faults resolve in seconds.
/// </summary>
public sealed class GatewayUnderTest : IAsyncDisposable
{
    public const string ClientId = "gateway-test-client";
    public const string ClientSecret = "gateway-test-client-secret";
    public const string WebhookSecret = "gateway-test-webhook-secret";

    /// <summary>With this setting (a PEM certificate, and <c>:KeyPath</c>) the gRPC endpoint speaks TLS.</summary>
    public const string GrpcCertificateSetting = "Kestrel:Endpoints:Grpc:Certificate:Path";

    private GatewayUnderTest(RtmsSimulator simulator, WebApplication app, int grpcPort, int httpPort, bool grpcTls, CapturingLoggerProvider logs)
    {
        Logs = logs;
        Simulator = simulator;
        App = app;
        GrpcUrl = new Uri($"{(grpcTls ? "https" : "http")}://127.0.0.1:{grpcPort}");
        HttpUrl = new Uri($"http://127.0.0.1:{httpPort}");
        Channel = GrpcChannel.ForAddress(GrpcUrl, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
        Client = new RtmsGatewayService.RtmsGatewayServiceClient(Channel);
        Http = new HttpClient { BaseAddress = HttpUrl };
    }

    public RtmsSimulator Simulator { get; }

    /// <summary>What the gateway logged (at the configured levels: Warning and above unless a test's settings say otherwise).</summary>
    public CapturingLoggerProvider Logs { get; }

    public WebApplication App { get; }

    public Uri GrpcUrl { get; }

    public Uri HttpUrl { get; }

    public Uri WebhookUrl => new(HttpUrl, "/webhooks/zoom");

    public GrpcChannel Channel { get; }

    public RtmsGatewayService.RtmsGatewayServiceClient Client { get; }

    public HttpClient Http { get; }

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<GatewayUnderTest> StartAsync(Action<SimulatorOptions>? simulator = null, IDictionary<string, string?>? settings = null)
    {
        var simulatorOptions = new SimulatorOptions
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            WebhookSecretToken = WebhookSecret,
            KeepAliveInterval = TimeSpan.FromMilliseconds(500),
            SignalingReconnectWindow = TimeSpan.FromSeconds(20),
            MediaReconnectWindow = TimeSpan.FromSeconds(20),
        };
        simulator?.Invoke(simulatorOptions);
        for (var attempt = 1; ; attempt++)
        {
            var grpcPort = FreePort.Next();
            var httpPort = FreePort.Next();
            var app = GatewayApplication.Build(Arguments(grpcPort, httpPort, settings));
            var logs = new CapturingLoggerProvider();
            app.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
            try
            {
                await app.StartAsync();
            }
            catch (IOException) when (attempt < 5)
            {
                // Another test took a port between choosing and binding it.
                await app.DisposeAsync();
                continue;
            }
            simulatorOptions.WebhookUrl = new Uri($"http://127.0.0.1:{httpPort}/webhooks/zoom");
            var sim = await RtmsSimulator.StartAsync(simulatorOptions);
            return new GatewayUnderTest(sim, app, grpcPort, httpPort, GrpcTls(settings), logs);
        }
    }

    private static string[] Arguments(int grpcPort, int httpPort, IDictionary<string, string?>? settings)
    {
        var config = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Grpc:Url"] = $"{(GrpcTls(settings) ? "https" : "http")}://127.0.0.1:{grpcPort}",
            ["Kestrel:Endpoints:Grpc:Protocols"] = "Http2",
            ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{httpPort}",
            ["Kestrel:Endpoints:Http:Protocols"] = "Http1",
            ["Zoom:ClientId"] = ClientId,
            ["Zoom:ClientSecret"] = ClientSecret,
            ["Zoom:WebhookSecretToken"] = WebhookSecret,
            ["Zoom:AllowInsecureRtmsUrls"] = "true",
            // The simulator listens on loopback: a test (or a local lab) must say so; production allows only Zoom's domains.
            ["Zoom:RtmsHosts:0"] = "127.0.0.1",
            ["Zoom:AllowPrivateRtmsAddresses"] = "true",
            ["Simulation:Enabled"] = "false",
            ["Rtms:ReconnectInitialDelay"] = "00:00:00.200",
            ["Rtms:ReconnectMaxDelay"] = "00:00:01",
            ["Rtms:KeepAliveTimeout"] = "00:00:03",
            ["Rtms:HandshakeTimeout"] = "00:00:05",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }
        return [.. config.Select(kv => string.Create(CultureInfo.InvariantCulture, $"--{kv.Key}={kv.Value}"))];
    }

    private static bool GrpcTls(IDictionary<string, string?>? settings) => settings?.ContainsKey(GrpcCertificateSetting) == true;

    /// <summary>Adds a simulated meeting, sends its rtms_started webhook and waits until media flows to the gateway.</summary>
    public async Task<SimulatedMeeting> StartMeetingAsync(MeetingOptions? options = null, CancellationToken ct = default)
    {
        var meeting = Simulator.AddMeeting(options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(StreamReading.DefaultTimeout);
        var status = await meeting.StartAsync(timeout.Token);
        if ((int)status != 200)
        {
            throw new InvalidOperationException($"The gateway answered rtms_started with {(int)status}.");
        }
        await meeting.WaitForStreamingAsync(timeout.Token);
        return meeting;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Channel.Dispose();
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await App.StopAsync(stopping.Token);
        }
        await App.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
