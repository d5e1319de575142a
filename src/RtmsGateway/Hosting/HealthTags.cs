namespace RtmsGateway.Hosting;

/// <summary>Tags that route health checks to liveness (<c>/healthz</c>) and readiness (<c>/readyz</c>, gRPC health).</summary>
internal static class HealthTags
{
    public const string Live = "live";
    public const string Ready = "ready";
}
