using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RtmsGateway.Configuration;
using RtmsGateway.Grpc;
using RtmsGateway.Observability;
using RtmsGateway.Rtms;
using RtmsGateway.Security;
using RtmsGateway.Ownership;
using RtmsGateway.Sessions;
using RtmsGateway.Sessions.Lifecycle;
using RtmsGateway.Simulation;
using RtmsGateway.Webhooks;

namespace RtmsGateway.Hosting;

/// <summary>Registers the gateway's services. Idempotent (TryAdd) so hosts and tests can override pieces first.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>OTLP export is on when an endpoint is configured (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, or one per signal).</summary>
    private static bool OtlpConfigured(IConfiguration configuration) =>
        OtlpEndpointKeys.Any(key => !string.IsNullOrWhiteSpace(configuration[key]));

    private static readonly string[] OtlpEndpointKeys = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];

    public static IServiceCollection AddRtmsGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ZoomOptions>().Bind(configuration.GetSection(ZoomOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RtmsClientOptions>().Bind(configuration.GetSection(RtmsClientOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FanoutOptions>().Bind(configuration.GetSection(FanoutOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ConnectionOptions>().Bind(configuration.GetSection(ConnectionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>, Connections.ConnectionBudgetSetup>());
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>());
        services.AddConsumerAuthentication(configuration);
        services.AddOptions<SimulationOptions>().Bind(configuration.GetSection(SimulationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ZoomOptions>, ZoomOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RtmsClientOptions>, RtmsClientOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ZoomOptions>, SimulatedZoomCredentials>());

        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        if (configuration.GetSection(RedisOptions.Section).Get<RedisOptions>() is { Enabled: true })
        {
            services.AddRedisCluster();
        }

        // No background failure stops the host: every loop catches, counts and retries; this is the last line of defence.
        services.Configure<HostOptions>(options => options.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DrainState>();
        services.TryAddSingleton<GatewayMetrics>();
        services.TryAddSingleton<Grpc.ConsumerAuthorizer>();
        // Traces and metrics over OTLP when an endpoint is configured, by the standard OTEL_EXPORTER_OTLP_* variables
        // (endpoint, protocol, headers, timeout; per signal too), OTEL_BSP_* and OTEL_METRIC_EXPORT_*; /metrics stays on.
        var otlp = OtlpConfigured(configuration);
        services.AddOpenTelemetry()
            // service.name "rtms-gateway" and the replica id as service.instance.id, unless OTEL_SERVICE_NAME or
            // OTEL_RESOURCE_ATTRIBUTES say otherwise (the SDK reads both).
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrEmpty(configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService("rtms-gateway", serviceInstanceId: configuration[$"{GatewayOptions.Section}:{nameof(GatewayOptions.ReplicaId)}"]);
                }
            })
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(GatewayMetrics.MeterName)
                    .AddMeter("System.Runtime") // the runtime's own: GC heap sizes and pauses, thread pool, CPU
                    .AddAspNetCoreInstrumentation()
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(GatewayTracing.SourceName).AddAspNetCoreInstrumentation();
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        services.AddHostedService<KnownMetricSeries>();
        services.TryAddSingleton<SessionDirectory>();
        services.TryAddSingleton<SessionWatchers>();
        services.TryAddSingleton<ISessionCatalog, LocalSessionCatalog>();
        services.TryAddSingleton<ISessionCommandBus, LocalSessionCommandBus>();
        services.TryAddSingleton<IOwnershipStore>(sp => new InMemoryOwnershipStore(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<RedisOptions>>().Value.LeaseTtl));
        services.TryAddSingleton(sp => new ReplayAccount(sp.GetRequiredService<IOptions<FanoutOptions>>().Value.ReplayMaxBytesPerReplica));
        services.AddHostedService<ReplaySweeper>();
        services.TryAddSingleton<OwnershipJanitor>();
        services.AddHostedService(sp => sp.GetRequiredService<OwnershipJanitor>());
        services.TryAddSingleton(sp =>
        {
            var zoom = sp.GetRequiredService<IOptions<ZoomOptions>>().Value;
            return new RtmsConnector(new RtmsUrlPolicy(zoom.RtmsHostAllowList, zoom.AllowInsecureRtmsUrls, zoom.AllowPrivateRtmsAddresses));
        });
        services.TryAddSingleton<StreamSessionFactory>();
        services.TryAddSingleton<SessionRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionRegistry>());
        services.TryAddSingleton<WebhookRouter>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookRouter>());
        services.TryAddSingleton<ZoomWebhookReceiver>();
        services.TryAddSingleton<SubscriptionPump>();
        services.TryAddSingleton<StalledWriteWatchdog>();
        services.AddHostedService(sp => sp.GetRequiredService<StalledWriteWatchdog>());
        services.AddHostedService<EmbeddedSimulation>();

        services.AddGrpc(options =>
        {
            options.EnableDetailedErrors = false;
            // Requests are small (a subscription target); anything larger is refused with RESOURCE_EXHAUSTED.
            options.MaxReceiveMessageSize = 64 * 1024;
        }).AddServiceOptions<global::Grpc.Reflection.ReflectionServiceImpl>(options => options.Interceptors.Add<ReflectionAuthInterceptor>());
        services.TryAddSingleton<GrpcPortFilter>();
        services.AddGrpcReflection();
        services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy(), tags: [HealthTags.Live])
            .AddCheck<ReadinessHealthCheck>("ready", tags: [HealthTags.Ready]);
        services.AddGrpcHealthChecks(options =>
        {
            options.Services.Map(string.Empty, r => r.Tags.Contains(HealthTags.Ready));
            options.Services.Map("rtms.gateway.v1.RtmsGatewayService", r => r.Tags.Contains(HealthTags.Ready));
        });
        return services;
    }
}
