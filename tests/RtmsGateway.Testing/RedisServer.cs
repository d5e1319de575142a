using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace RtmsGateway.Testing;

/// <summary>
/// A real <c>redis-server</c> process on a free loopback port, without persistence (a restart loses every key, the worst
/// case for ownership). Ready when it answers PING.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
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
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        _process = null;
    }

    private async Task StartProcessAsync()
    {
        var info = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--protected-mode", "no" })
        {
            info.ArgumentList.Add(arg);
        }
        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start (is it installed? scripts/ensure-test-tools.sh installs it).");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!await PingAsync(timeout.Token))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}.");
            }
            await Task.Delay(20, timeout.Token);
        }
    }

    private async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port, ct);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), ct);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, ct);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }
}
