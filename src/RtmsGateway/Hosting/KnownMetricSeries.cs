using OpenTelemetry.Metrics;
using RtmsGateway.Observability;

namespace RtmsGateway.Hosting;

/// <summary>
/// Starts every series the alerts and the dashboard read at 0 (<see cref="GatewayMetrics.ExportKnownSeries"/>) once the
/// meter provider listens: a measurement made before it exists is lost, and with it the zero an alert's
/// <c>increase()</c> needs to see the first event.
/// </summary>
internal sealed class KnownMetricSeries(GatewayMetrics metrics, IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolving the provider builds it, and it subscribes to the gateway's meter before the zeros are recorded.
        _ = services.GetService<MeterProvider>();
        metrics.ExportKnownSeries();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
