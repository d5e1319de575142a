using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;
using RtmsGateway.Grpc;
using RtmsGateway.Webhooks;

namespace RtmsGateway.Hosting;

/// <summary>Maps the gateway's endpoints: gRPC API, reflection, gRPC health, the Zoom webhook, and HTTP health probes.</summary>
public static class GatewayEndpointExtensions
{
    public static IEndpointRouteBuilder MapRtmsGateway(this IEndpointRouteBuilder app)
    {
        app.MapGrpcService<GatewayGrpcService>();
        if (app.ServiceProvider.GetRequiredService<IOptions<GatewayOptions>>().Value.EnableReflection)
        {
            app.MapGrpcReflectionService();
        }
        app.MapGrpcHealthChecksService();
        var webhookPath = app.ServiceProvider.GetRequiredService<IOptions<GatewayOptions>>().Value.WebhookPath;
        app.MapPost(webhookPath, (HttpContext context, ZoomWebhookReceiver receiver) => receiver.ReceiveAsync(context));
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = r => r.Tags.Contains(HealthTags.Live) });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = r => r.Tags.Contains(HealthTags.Ready) });
        return app;
    }
}
