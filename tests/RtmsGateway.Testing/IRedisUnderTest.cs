namespace RtmsGateway.Testing;

/// <summary>A real Redis a test runs against: one <see cref="RedisServer"/> or a <see cref="RedisClusterServer"/>.</summary>
public interface IRedisUnderTest : IAsyncDisposable
{
    /// <summary>StackExchange.Redis configuration string (every node, for a cluster).</summary>
    string ConnectionString { get; }

    /// <summary>Kills every node (as a crash would) and starts them again empty, running <paramref name="whileDown"/> in between.</summary>
    Task RestartAsync(Func<Task>? whileDown = null);
}
