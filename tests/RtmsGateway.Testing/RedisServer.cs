using System.Diagnostics;
using System.Globalization;

namespace RtmsGateway.Testing;

/// <summary>
/// A real <c>redis-server</c> process on a free loopback port, without persistence (a restart loses every key, the worst
/// case for ownership). Ready when it answers PING.
/// </summary>
public sealed class RedisServer : IRedisUnderTest
{
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    public string ConnectionString => ConnectionStringFor(Port);

    /// <summary>The same client settings, through a <see cref="FaultProxy"/> in front of this server.</summary>
    public string ConnectionStringVia(FaultProxy proxy) => ConnectionStringFor(proxy.Port);

    private static string ConnectionStringFor(int port) =>
        string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port},abortConnect=false,connectRetry=1,connectTimeout=1000,syncTimeout=2000");

    public static async Task<RedisServer> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(FreePort.Next());
            try
            {
                await server.StartProcessAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                // The port was taken between choosing and binding it.
                server.Kill();
            }
        }
    }

    /// <summary>Kills the server (as a crash would) and starts an empty one on the same port.</summary>
    public async Task RestartAsync(Func<Task>? whileDown = null)
    {
        Kill();
        if (whileDown is not null)
        {
            await whileDown();
        }
        await StartProcessAsync();
    }

    public void Kill()
    {
        RedisProcess.Kill(_process);
        _process = null;
    }

    private async Task StartProcessAsync() => _process = await RedisProcess.StartAsync(Port, []);

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }
}
