namespace RtmsGateway.Client;

/// <summary>Where the gateway is and how a <see cref="GatewayClient"/> talks to it.</summary>
public sealed class GatewayClientOptions
{
    /// <summary>
    /// The gateway's replicas, any of which serves any session (e.g. <c>http://gateway-0:5000</c>, ...), or one
    /// <c>dns:///gateway-headless:5000</c> address whose records are balanced round robin. A subscription moves to the
    /// next address when its replica drains, dies or cannot be reached.
    /// </summary>
    public IList<Uri> Addresses { get; } = [];

    /// <summary>Gives the bearer token for each call (null: none). Called per attempt, so a refreshed token is used on reconnect.</summary>
    public Func<CancellationToken, ValueTask<string?>>? BearerToken { get; set; }

    /// <summary>HTTP/2 keep-alive pings on idle connections, so a dead connection is noticed (default 20 s; zero turns them off).</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Deadline of each unary call (ListSessions); subscriptions have none, they last as long as the session.</summary>
    public TimeSpan UnaryDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First reconnect delay; it doubles per failed attempt up to <see cref="MaxBackoff"/>, each wait jittered.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait between reconnect attempts (a RetryInfo from the gateway may ask for longer).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A subscription that delivers nothing for this long while retrying gives up and throws the last error.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The clock of backoff waits (tests use a fake one).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (Addresses.Count == 0)
        {
            throw new ArgumentException("GatewayClientOptions.Addresses needs at least one gateway address.");
        }
        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            throw new ArgumentException("GatewayClientOptions: InitialBackoff must be positive and MaxBackoff at least InitialBackoff.");
        }
    }
}
