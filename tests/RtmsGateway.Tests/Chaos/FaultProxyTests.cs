using System.Net.Sockets;
using System.Text;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Chaos;

/// <summary>The fault-injecting TCP proxy in front of a real redis-server: pass, partition (blackhole), refuse.</summary>
public sealed class FaultProxyTests : IAsyncLifetime
{
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(500);
    private RedisServer _redis = null!;
    private FaultProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _proxy = FaultProxy.Start(_redis.Port, "test");
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Pass_forwards_both_ways()
    {
        using var client = await ConnectAsync();
        Assert.Equal("+PONG", await PingAsync(client));
        Assert.Equal((1, 1L), (_proxy.OpenConnections, _proxy.Accepted));
    }

    [Fact]
    public async Task A_blackhole_keeps_connections_open_but_silent_and_delivers_what_waited_when_it_heals()
    {
        using var before = await ConnectAsync();
        Assert.Equal("+PONG", await PingAsync(before));

        _proxy.SetMode(ProxyMode.Blackhole);
        var waiting = PingAsync(before);
        using var during = await ConnectAsync(); // accepted, but never reaches Redis
        var waitingToo = PingAsync(during);
        await Task.Delay(Silence); // proving silence takes a wait: nothing may arrive in it
        Assert.False(waiting.IsCompleted);
        Assert.False(waitingToo.IsCompleted);
        Assert.True(before.Connected && during.Connected);

        _proxy.SetMode(ProxyMode.Pass);
        Assert.Equal("+PONG", await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("+PONG", await waitingToo.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Refuse_resets_open_connections_and_new_ones_until_it_passes_again()
    {
        using var before = await ConnectAsync();
        Assert.Equal("+PONG", await PingAsync(before));

        _proxy.SetMode(ProxyMode.Refuse);
        await Assert.ThrowsAnyAsync<Exception>(() => PingAsync(before).WaitAsync(TimeSpan.FromSeconds(5)));
        // A new connection is reset as soon as it is accepted: the connect or the first exchange fails.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var during = await ConnectAsync();
            await PingAsync(during).WaitAsync(TimeSpan.FromSeconds(5));
        });
        Assert.Equal(0, _proxy.OpenConnections);

        _proxy.SetMode(ProxyMode.Pass);
        using var after = await ConnectAsync();
        Assert.Equal("+PONG", await PingAsync(after));
    }

    [Fact]
    public async Task One_proxy_per_client_partitions_one_client_and_not_the_other()
    {
        await using var other = FaultProxy.Start(_redis.Port, "other");
        using var cut = await ConnectAsync();
        using var fine = new TcpClient();
        await fine.ConnectAsync("127.0.0.1", other.Port);

        _proxy.SetMode(ProxyMode.Blackhole);
        var silent = PingAsync(cut);
        Assert.Equal("+PONG", await PingAsync(fine).WaitAsync(TimeSpan.FromSeconds(5)));
        await Task.Delay(Silence);
        Assert.False(silent.IsCompleted);
        _proxy.SetMode(ProxyMode.Pass);
        Assert.Equal("+PONG", await silent.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _proxy.Port);
        return client;
    }

    /// <summary>Sends PING and reads the reply line; a reset or closed connection throws.</summary>
    private static async Task<string> PingAsync(TcpClient client)
    {
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray());
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer);
        if (read == 0)
        {
            throw new IOException("connection closed");
        }
        return Encoding.ASCII.GetString(buffer, 0, read).TrimEnd('\r', '\n');
    }
}
