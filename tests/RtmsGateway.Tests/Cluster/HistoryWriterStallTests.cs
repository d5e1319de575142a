using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RtmsGateway.Cluster;
using RtmsGateway.Configuration;
using RtmsGateway.Ownership;
using RtmsGateway.Sessions;
using RtmsGateway.Testing;
using StackExchange.Redis;

namespace RtmsGateway.Tests.Cluster;

/// <summary>
/// The history writer outlives a Redis that stalls longer than every timeout and then drops its connections (what a
/// frozen Redis looks like to the client): it keeps retrying, and once Redis answers again everything queued meanwhile
/// and everything after is stored, in order. (Its loop used to end on a cancellation the client library raised itself,
/// leaving the owner's history frozen and every transcript waiting out the write bound.)
/// </summary>
public sealed class HistoryWriterStallTests
{
    private const string StreamId = "stall-stream";

    [Fact]
    public async Task A_stalled_then_reset_redis_does_not_stop_the_history_writer()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var proxy = FaultProxy.Start(redis.Port, "redis");
        var options = ConfigurationOptions.Parse(redis.ConnectionStringVia(proxy));
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.ReconnectRetryPolicy = new LinearRetry(500);
        using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var keys = new RedisKeys("stall:");
        using var writer = new RedisHistoryWriter(connection, keys, Options.Create(new RedisOptions { ConnectionString = "unused" }), TimeProvider.System,
            NullLogger<RedisHistoryWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        using var settled = new Settlements();
        var sequence = Sequences.First(1);
        void Append(int count)
        {
            for (var i = 0; i < count; i++, sequence++)
            {
                Assert.True(writer.Append(new HistoryAppend(StreamId, "transcripts", sequence, "16778240", [1, 2, 3], settled)));
            }
        }

        Append(10);
        await settled.WaitForAsync(sequence - 1);

        // Longer than the client's 5 s timeouts, then every connection reset, then healthy again.
        proxy.SetMode(ProxyMode.Blackhole);
        Append(10);
        using (var fault = new CancellationTokenSource(TimeSpan.FromSeconds(7)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => settled.WaitForAsync(sequence - 1, fault.Token));
        }
        proxy.SetMode(ProxyMode.Refuse);
        Append(10);
        // The reset lasts a second (a fault's length, not a wait for something to happen).
        await Task.Delay(TimeSpan.FromSeconds(1));
        proxy.SetMode(ProxyMode.Pass);
        Append(10);

        using (var recovery = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await settled.WaitForAsync(sequence - 1, recovery.Token);
        }
        Assert.False(writer.ExecuteTask!.IsCompleted, $"the writer's loop ended: {writer.ExecuteTask.Exception}");
        using var direct = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var stored = await direct.GetDatabase().StreamRangeAsync(keys.History(StreamId, "transcripts"));
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (ulong?)(Sequences.First(1) + (ulong)i)), stored.Select(e => HistoryEntryId.Parse(e.Id)));
        await writer.StopAsync(CancellationToken.None);
    }

    /// <summary>What the writer settled, per channel (the writer calls back from its loop).</summary>
    private sealed class Settlements : IHistoryAcknowledgement, IDisposable
    {
        private readonly ConcurrentQueue<ulong> _settled = new();
        private readonly SemaphoreSlim _changed = new(0);

        public void Settled(ulong sequence)
        {
            _settled.Enqueue(sequence);
            _changed.Release();
        }

        public async Task WaitForAsync(ulong sequence, CancellationToken ct = default)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (!ct.CanBeCanceled)
            {
                limit.CancelAfter(TimeSpan.FromSeconds(30));
            }
            while (!_settled.Contains(sequence))
            {
                await _changed.WaitAsync(limit.Token);
            }
        }

        public void Dispose() => _changed.Dispose();
    }
}
