using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;

namespace RtmsGateway.Hosting.Connections;

/// <summary>
/// Applies <see cref="ConnectionOptions"/> to Kestrel: a connection budget for all endpoints together derived from the
/// descriptor limit, an idle and a header timeout (so silent connections are closed in seconds, not after Kestrel's
/// default 130 s), and a per-remote-address budget, both enforced by connection middleware on every endpoint before any
/// byte is parsed. The budgets are shared by every endpoint (one instance per options instance).
/// </summary>
internal sealed class ConnectionBudgetSetup(IOptions<ConnectionOptions> options, GatewayMetrics metrics) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var limits = options.Value;
        var total = new TotalConnectionBudget(EffectiveMaxConnections(limits));
        // Kestrel's own limits count per endpoint; they stay as a second line, the shared budget below is what holds.
        kestrel.Limits.MaxConcurrentConnections = total.Limit;
        kestrel.Limits.MaxConcurrentUpgradedConnections = total.Limit;
        kestrel.Limits.KeepAliveTimeout = limits.IdleTimeout;
        kestrel.Limits.RequestHeadersTimeout = limits.HeadersTimeout;
        var perAddress = limits.MaxConnectionsPerAddress > 0 ? new AddressConnectionBudget(limits.MaxConnectionsPerAddress) : null;
        kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Use(next => connection => AdmitAsync(connection, next, total, perAddress)));
    }

    private async Task AdmitAsync(ConnectionContext connection, ConnectionDelegate next, TotalConnectionBudget total, AddressConnectionBudget? perAddress)
    {
        if (!total.TryAcquire())
        {
            metrics.LimitRejected("connections_total");
            connection.Abort(new ConnectionAbortedException("The gateway's connection budget is used up."));
            return;
        }
        try
        {
            if (perAddress is null || (connection.RemoteEndPoint as IPEndPoint)?.Address is not { } address)
            {
                await next(connection);
                return;
            }
            if (!perAddress.TryAcquire(address))
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
                perAddress.Release(address);
            }
        }
        finally
        {
            total.Release();
        }
    }

    /// <summary>The configured total, or 60 % of the descriptor limit (at least 64).</summary>
    public static long EffectiveMaxConnections(ConnectionOptions limits) =>
        limits.MaxConnections > 0 ? limits.MaxConnections : Math.Max(64, (long)((DescriptorLimit.Current() ?? 65_536) * 0.6));
}
