using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Simulator;

namespace RtmsGateway.Simulation;

/// <summary>
/// Runs the RTMS simulator inside the gateway when no Zoom credentials are configured, with a few meetings that start
/// right away, so a newcomer sees live sessions at once. Says so loudly in the log.
/// </summary>
internal sealed partial class EmbeddedSimulation(
    IOptions<ZoomOptions> zoom, IOptions<SimulationOptions> simulation, IOptions<GatewayOptions> gateway, IConfiguration configuration,
    IHostApplicationLifetime lifetime, ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<EmbeddedSimulation>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = simulation.Value;
        var credentials = zoom.Value;
        if (!credentials.Simulated && options.Enabled != true)
        {
            return;
        }
        if (!await WaitForStartAsync(stoppingToken))
        {
            return;
        }
        var webhookUrl = options.WebhookUrl ?? DefaultWebhookUrl();
        if (webhookUrl is null)
        {
            LogNoWebhookUrl();
            return;
        }
        try
        {
            await using var simulator = await RtmsSimulator.StartAsync(new SimulatorOptions
            {
                ClientId = credentials.ClientId!,
                ClientSecret = credentials.ClientSecret!,
                WebhookSecretToken = credentials.WebhookSecretToken!,
                WebhookUrl = webhookUrl,
                KeepAliveInterval = options.KeepAliveInterval,
            }, loggers, stoppingToken);
            LogRunning(options.Meetings, simulator.BaseUri.ToString(), GrpcAddress());
            for (var i = 0; i < options.Meetings; i++)
            {
                var meeting = simulator.AddMeeting(new MeetingOptions { TranscriptInterval = options.TranscriptInterval });
                await meeting.StartAsync(stoppingToken);
                LogMeeting(meeting.InstanceId, meeting.StreamId);
            }
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> WaitForStartAsync(CancellationToken ct)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        try
        {
            await started.Task.WaitAsync(ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The HTTP endpoint of this gateway (Kestrel:Endpoints:Http:Url) on loopback, plus the webhook path.</summary>
    private Uri? DefaultWebhookUrl()
    {
        if (!Uri.TryCreate(configuration["Kestrel:Endpoints:Http:Url"]?.Replace("+", "localhost", StringComparison.Ordinal).Replace("*", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var http) || http.Port == 0)
        {
            return null;
        }
        return new UriBuilder(http) { Host = "127.0.0.1", Path = gateway.Value.WebhookPath }.Uri;
    }

    private string GrpcAddress() =>
        Uri.TryCreate(configuration["Kestrel:Endpoints:Grpc:Url"]?.Replace("+", "localhost", StringComparison.Ordinal).Replace("*", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var grpc)
            ? $"localhost:{grpc.Port}"
            : "localhost:50051";

    [LoggerMessage(EventId = LogEventIds.SimulationNoCredentials, Level = LogLevel.Warning,
        Message = "No Zoom credentials configured: running with an EMBEDDED RTMS SIMULATOR ({Meetings} simulated meeting(s), fake Zoom at {SimulatorUrl}). " +
                  "Try: grpcurl -plaintext {GrpcAddress} list ; grpcurl -plaintext {GrpcAddress} rtms.gateway.v1.RtmsGatewayService/ListSessions")]
    private partial void LogRunning(int meetings, string simulatorUrl, string grpcAddress);

    [LoggerMessage(EventId = LogEventIds.SimulationMeetingStarted, Level = LogLevel.Information, Message = "Simulated meeting {InstanceId} started (rtms_stream_id {StreamId})")]
    private partial void LogMeeting(string instanceId, string streamId);

    [LoggerMessage(EventId = LogEventIds.SimulationNotStarted, Level = LogLevel.Error, Message = "Embedded simulator not started: set Simulation:WebhookUrl or a fixed Kestrel:Endpoints:Http:Url port")]
    private partial void LogNoWebhookUrl();
}
