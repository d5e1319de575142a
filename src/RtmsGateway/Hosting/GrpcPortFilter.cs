namespace RtmsGateway.Hosting;

/// <summary>
/// The gRPC port serves gRPC only: the webhook, probes and metrics live on the HTTP port, so a NetworkPolicy can open each
/// port to exactly its callers (consumers and replicas to gRPC; the ingress controller and the scraper to HTTP). A
/// non-gRPC request on the gRPC port gets 404, as if nothing were there. The port is read from
/// <c>Kestrel:Endpoints:Grpc:Url</c>; when the gRPC and HTTP endpoints share a port (or none is configured), nothing is
/// filtered.
/// </summary>
internal sealed class GrpcPortFilter(IConfiguration configuration) : IMiddleware
{
    private readonly int? _grpcPort = PortOf(configuration["Kestrel:Endpoints:Grpc:Url"]) is { } grpc && grpc != PortOf(configuration["Kestrel:Endpoints:Http:Url"]) ? grpc : null;

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (_grpcPort is { } port && context.Connection.LocalPort == port
            && !(context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        return next(context);
    }

    private static int? PortOf(string? url) =>
        url is not null && Uri.TryCreate(url.Replace("0.0.0.0", "localhost", StringComparison.Ordinal).Replace("[::]", "localhost", StringComparison.Ordinal).Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri) && uri.Port > 0
            ? uri.Port
            : null;
}
