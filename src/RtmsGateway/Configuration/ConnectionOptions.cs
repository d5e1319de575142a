using System.ComponentModel.DataAnnotations;

namespace RtmsGateway.Configuration;

/// <summary>
/// Budgets for inbound connections (section <c>Connections</c>), applied to every listening endpoint, so that idle or
/// half-open connections from anyone who can reach a port cannot exhaust the process's file descriptors (beyond its
/// limit the runtime itself fails, taking every meeting with it).
/// </summary>
public sealed class ConnectionOptions
{
    public const string Section = "Connections";

    /// <summary>Inbound connections at once, all ports together; 0 = 60 % of the process's descriptor limit (RLIMIT_NOFILE),
    /// leaving the rest for RTMS sockets, Redis and relays.</summary>
    [Range(0, 10_000_000)]
    public int MaxConnections { get; set; }

    /// <summary>Inbound connections at once from one remote address; 0 = no per-address limit.</summary>
    [Range(0, 10_000_000)]
    public int MaxConnectionsPerAddress { get; set; } = 512;

    /// <summary>A connection with no request in flight (or that never sent one) is closed after this long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a client may take to send a request's headers.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
