using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RtmsGateway.Api.V1;
using RtmsGateway.Cluster;
using RtmsGateway.Configuration;
using RtmsGateway.Hosting;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using RtmsGateway.Sessions;
using StackExchange.Redis;

namespace RtmsGateway.Benchmarks.Ownership;

/// <summary>
/// One gateway replica's ownership layer, without media: its own service container built by the gateway's own
/// <see cref="RedisClusterServiceCollectionExtensions.AddRedisCluster"/> (so its own <see cref="IConnectionMultiplexer"/>, and
/// whatever <see cref="IOwnershipStore"/> and key layout the code registers), every background service it registers (the
/// <see cref="RedisSessionCatalog"/>, the <see cref="ReplicaRegistry"/>, …) but <see cref="TakeoverService"/> running as in
/// the gateway, and in place of each <c>StreamSession</c> only what it
/// does with Redis: its lease, renewed every third of the TTL as <c>StreamSession.KeepLeaseAsync</c> does, and its hub in the
/// session directory, announced on start and refreshed by the catalog. The takeover scan is <see cref="TakeoverScan"/>.
/// </summary>
internal sealed class SimulatedReplica : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly CancellationTokenSource _alive = new();
    private readonly ConcurrentDictionary<string, OwnershipLease> _leases = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _loops = [];
    private readonly SessionDirectory _directory;
    private readonly RedisSessionCatalog _catalog;
    private readonly IReadOnlyList<IHostedService> _background;
    private readonly FanoutOptions _fanout;
    private readonly ReplayAccount _replay;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly RenewalTally _renewals;
    private bool _disposed;

    private SimulatedReplica(string id, ServiceProvider services, TimeProvider time, RenewalTally renewals)
    {
        Id = id;
        _services = services;
        _time = time;
        _renewals = renewals;
        Ownership = services.GetRequiredService<IOwnershipStore>();
        _directory = services.GetRequiredService<SessionDirectory>();
        _catalog = services.GetRequiredService<RedisSessionCatalog>();
        _background = [.. services.GetServices<IHostedService>()];
        _metrics = services.GetRequiredService<GatewayMetrics>();
        _fanout = services.GetRequiredService<IOptions<FanoutOptions>>().Value;
        _replay = new ReplayAccount(_fanout.ReplayMaxBytesPerReplica);
        ScanInterval = services.GetRequiredService<IOptions<RedisOptions>>().Value.TakeoverScanInterval;
    }

    public string Id { get; }

    public IOwnershipStore Ownership { get; }

    public TimeSpan ScanInterval { get; }

    /// <summary>The leases this replica holds now.</summary>
    public IReadOnlyCollection<OwnershipLease> Leases => [.. _leases.Values];

    public CancellationToken Alive => _alive.Token;

    public static async Task<SimulatedReplica> StartAsync(string id, int index, string connectionString, string keyPrefix, OwnershipLoadSettings settings, TimeProvider time, RenewalTally renewals)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{RedisOptions.Section}:{nameof(RedisOptions.ConnectionString)}"] = connectionString,
            [$"{RedisOptions.Section}:{nameof(RedisOptions.KeyPrefix)}"] = keyPrefix,
            [$"{RedisOptions.Section}:{nameof(RedisOptions.LeaseTtl)}"] = settings.LeaseTtl.ToString("c", CultureInfo.InvariantCulture),
            [$"{RedisOptions.Section}:{nameof(RedisOptions.TakeoverScanInterval)}"] = settings.ScanInterval.ToString("c", CultureInfo.InvariantCulture),
            [$"{GatewayOptions.Section}:{nameof(GatewayOptions.ReplicaId)}"] = id,
            // Advertised, so the replica registry refreshes its key as a relaying replica does.
            [$"{GatewayOptions.Section}:{nameof(GatewayOptions.AdvertisedAddress)}"] = string.Create(CultureInfo.InvariantCulture, $"http://10.{index / 250}.{index % 250}.1:5001"),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.Section));
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.Section));
        services.AddOptions<FanoutOptions>().Bind(configuration.GetSection(FanoutOptions.Section));
        services.AddSingleton(time);
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<SessionDirectory>();
        services.AddSingleton<SessionWatchers>();
        services.AddSingleton<DrainState>();
        services.AddRedisCluster();
        // Every background service cluster mode registers runs as in the gateway (the catalog, the replica registry, the
        // command bus, and whatever the code adds), except TakeoverService, whose claims go to a SessionRegistry that dials
        // Zoom: TakeoverScan runs its scan instead.
        foreach (var takeover in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(TakeoverService)).ToList())
        {
            services.Remove(takeover);
        }
        var replica = new SimulatedReplica(id, services.BuildServiceProvider(), time, renewals);
        foreach (var background in replica._background)
        {
            await background.StartAsync(CancellationToken.None);
        }
        return replica;
    }

    /// <summary>The webhook path's claim: acquire the lease, then run the stream (here: keep its lease, list its hub).</summary>
    public async Task<bool> AcquireAsync(SessionRecord record, CancellationToken ct)
    {
        var lease = await Ownership.TryAcquireAsync(record, Id, ct);
        if (lease is null)
        {
            return false;
        }
        // A fleet's sessions started at unrelated times: their renewals are spread over the interval, not in waves.
        Run(lease, SessionChange.Started, Ownership.LeaseTtl / 3 * Random.Shared.NextDouble());
        return true;
    }

    /// <summary>What <c>SessionRegistry.Start</c> does with Redis: the hub listed and announced, the lease kept.</summary>
    public void Run(OwnershipLease lease, SessionChange change, TimeSpan phase = default)
    {
        if (!_leases.TryAdd(lease.StreamId, lease))
        {
            return;
        }
        var hub = new SessionHub(lease.Record, lease.Epoch, Id, _fanout, _time, _metrics, _replay);
        _directory.Add(hub);
        _catalog.Announce(hub.Snapshot(), change);
        _loops.Add(KeepLeaseAsync(lease, phase, _alive.Token));
    }

    public bool IsRunning(string streamId) => _leases.ContainsKey(streamId);

    /// <summary>Starts this replica's takeover scan.</summary>
    public void StartScanning(TakeoverScan scan) => _loops.Add(scan.RunAsync(this, _time, _metrics, _alive.Token));

    /// <summary>The replica dies: no more renewals or scans, its connections closed (nothing released).</summary>
    public async Task KillAsync()
    {
        await _alive.CancelAsync();
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await _alive.CancelAsync();
        try
        {
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
        }
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        foreach (var background in _background)
        {
            await background.StopAsync(stop.Token);
        }
        await _services.DisposeAsync();
        _alive.Dispose();
    }

    /// <summary><c>StreamSession.KeepLeaseAsync</c>'s schedule: every third of the TTL, or every 250 ms while Redis fails.</summary>
    private async Task KeepLeaseAsync(OwnershipLease lease, TimeSpan phase, CancellationToken ct)
    {
        var ttl = Ownership.LeaseTtl;
        var interval = ttl / 3;
        var retry = TimeSpan.FromMilliseconds(Math.Min(250, interval.TotalMilliseconds));
        var unavailable = false;
        if (phase > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(phase, _time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        // The schedule starts after the phase: the first renewal is one interval after it, not phase + interval after the
        // acquire (which would count as late whenever a window opens within the first two intervals, as with a long TTL).
        // The lease itself is safe either way: phase + interval < 2 intervals < the TTL.
        var lastRenewed = _time.GetTimestamp();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(unavailable ? retry : interval, _time, ct);
                var renewed = await Ownership.RenewAsync(lease, ct).WaitAsync(interval, _time, ct);
                var now = _time.GetTimestamp();
                if (!renewed)
                {
                    _renewals.Lost();
                    _leases.TryRemove(lease.StreamId, out _);
                    return;
                }
                _renewals.Renewed(_time.GetElapsedTime(lastRenewed, now), interval, ttl);
                lastRenewed = now;
                unavailable = false;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is OwnershipStoreUnavailableException or TimeoutException)
            {
                _renewals.Failed();
                unavailable = true;
            }
        }
    }
}
