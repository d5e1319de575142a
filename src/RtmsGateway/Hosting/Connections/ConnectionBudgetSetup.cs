using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;

namespace RtmsGateway.Hosting.Connections;

/// <summary>
/// Applies <see cref="ConnectionOptions"/> to Kestrel: a total connection limit derived from the descriptor limit, an idle
/// and a header timeout (so silent connections are closed in seconds, not after Kestrel's default 130 s), and a
/// per-remote-address budget enforced by connection middleware on every endpoint before any byte is parsed.
/// </summary>
internal sealed class ConnectionBudgetSetup(IOptions<ConnectionOptions> options, GatewayMetrics metrics) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var limits = options.Value;
        kestrel.Limits.MaxConcurrentConnections = EffectiveMaxConnections(limits);
        kestrel.Limits.MaxConcurrentUpgradedConnections = EffectiveMaxConnections(limits);
        kestrel.Limits.KeepAliveTimeout = limits.IdleTimeout;
        kestrel.Limits.RequestHeadersTimeout = limits.HeadersTimeout;
        if (limits.MaxConnectionsPerAddress <= 0)
        {
            return;
        }
        var budget = new AddressConnectionBudget(limits.MaxConnectionsPerAddress);
        kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Use(next => async connection =>
        {
            if ((connection.RemoteEndPoint as IPEndPoint)?.Address is not { } address)
            {
                await next(connection);
                return;
            }
            if (!budget.TryAcquire(address))
            {
                metrics.LimitRejected("connections_per_address");
                connection.Abort(new ConnectionAbortedException("Too many connections from this address."));
                return;
            }
            try
            {
                await next(connection);
            }
            finally
            {
                budget.Release(address);
            }
        }));
    }

    /// <summary>The configured total, or 60 % of the descriptor limit (at least 64).</summary>
    public static long EffectiveMaxConnections(ConnectionOptions limits) =>
        limits.MaxConnections > 0 ? limits.MaxConnections : Math.Max(64, (long)((DescriptorLimit.Current() ?? 65_536) * 0.6));
}
