using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RtmsGateway.Api.V1;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using RtmsGateway.Protocol;
using RtmsGateway.Rtms;
using RtmsGateway.Sessions;
using RtmsGateway.Sessions.Lifecycle;

namespace RtmsGateway.Tests.Lifecycle;

/// <summary>
/// The lease keeper of a real <see cref="StreamSession"/> (its private <c>KeepLeaseAsync</c>), on a fake clock, against a
/// real <see cref="InMemoryOwnershipStore"/> that the test can cut off (Redis behind a partition). No sockets: the stream's
/// signaling URL has a scheme no WebSocket client dials, so the session's first dial fails at once and its machine then
/// waits an hour of fake time to redial, while its keeper renews the lease.
/// </summary>
/// <remarks>
/// Deterministic: once the session has scheduled that redial (<see cref="StartAsync"/> waits for it) the keeper is the only
/// thing running, each test runs without a synchronization context (<see cref="Unscheduled"/>), so the keeper's
/// <c>Task.Delay</c> on the fake clock resumes inline on the test's thread, and every renewal has happened by the time
/// <c>Advance</c> returns. The clock moves one renewal interval at a time, as <see cref="FakeTimeProvider.Advance"/> fires
/// a timer at most once per call.
/// </remarks>
public sealed class LeaseKeeperTests : IDisposable
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Interval = Ttl / 3;
    private static readonly TimeSpan RedialBackoff = TimeSpan.FromHours(1);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly SessionRecord _record = new()
    {
        StreamId = "stream-lease-keeper",
        InstanceId = "meeting-lease-keeper",
        // Nothing listens on the discard port: every dial fails at once with "connection refused".
        SignalingUrl = "ws://127.0.0.1:9/rtms",
    };

    private readonly RtmsConnector _connector = new(new RtmsUrlPolicy(["127.0.0.1"], allowInsecure: true, allowPrivate: true));
    private readonly InMemoryOwnershipStore _inner;
    private readonly SeverableStore _store;

    public LeaseKeeperTests()
    {
        _inner = new InMemoryOwnershipStore(_time, Ttl);
        _store = new SeverableStore(_inner, _time);
    }

    [Fact]
    public Task The_keeper_renews_the_lease_every_third_of_its_TTL_so_no_other_replica_can_take_it() => Unscheduled(async () =>
    {
        var (session, run) = await StartAsync();
        for (var step = 1; step <= 90; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            if (step % 10 == 5)
            {
                Assert.Null(await _inner.TryAcquireAsync(_record, "replica-b", CancellationToken.None));
            }
        }

        Assert.Equal(Enumerable.Range(1, 9).Select(i => Interval * i), _store.Renewals);
        Assert.False(run.IsCompleted);
        session.Drain();
        Assert.Equal(new StreamEnding.Relinquished(RelinquishReason.Drain), await run);
    });

    [Fact]
    public Task A_session_whose_lease_another_replica_took_over_after_it_expired_relinquishes_it_with_LeaseLost() => Unscheduled(async () =>
    {
        var (_, run) = await StartAsync();
        Tick(1);
        Assert.Single(_store.Renewals);

        // Cut off from the store for longer than the TTL: the lease expires and replica B takes the stream over.
        _store.Reachable = false;
        Tick(4);
        Assert.Equal(4, _store.Unavailable);
        Assert.False(run.IsCompleted);
        Assert.NotNull(await _inner.TryAcquireAsync(_record, "replica-b", CancellationToken.None));

        // Back in touch: the next renewal is refused, and the session gives the stream up at once.
        _store.Reachable = true;
        Tick(1);

        Assert.Equal(new StreamEnding.Relinquished(RelinquishReason.LeaseLost), await run);
        // A lost lease is not released: it is replica B's now.
        var ownership = await _inner.GetAsync(_record.StreamId, CancellationToken.None);
        Assert.Equal("replica-b", ownership?.OwnerReplicaId);
        Assert.Equal(0, _store.Releases);
        Assert.Equal(2, _store.Renewals.Count);
    });

    [Fact]
    public Task A_store_unreachable_for_less_than_the_TTL_costs_the_session_nothing() => Unscheduled(async () =>
    {
        var (session, run) = await StartAsync();
        _store.Reachable = false;
        Tick(2);
        _store.Reachable = true;
        Tick(3);

        Assert.Equal(2, _store.Unavailable);
        Assert.Equal([Interval * 3, Interval * 4, Interval * 5], _store.Renewals);
        Assert.Null(await _inner.TryAcquireAsync(_record, "replica-b", CancellationToken.None));
        Assert.False(run.IsCompleted);
        session.Drain();
        await run;
    });

    [Fact]
    public Task A_draining_session_releases_its_lease_at_once_so_another_replica_can_take_over() => Unscheduled(async () =>
    {
        var (session, run) = await StartAsync();
        Tick(1);

        session.Drain();

        Assert.Equal(new StreamEnding.Relinquished(RelinquishReason.Drain), await run);
        Assert.Equal(1, _store.Releases);
        Assert.NotNull(await _inner.TryAcquireAsync(_record, "replica-b", CancellationToken.None));
    });

    /// <summary>Moves the clock <paramref name="intervals"/> renewal intervals, one at a time.</summary>
    private void Tick(int intervals)
    {
        for (var i = 0; i < intervals; i++)
        {
            _time.Advance(Interval);
        }
    }

    /// <summary>Starts a session owning the stream, and waits until its first dial failed and its redial is scheduled.</summary>
    private async Task<(StreamSession Session, Task<StreamEnding> Run)> StartAsync()
    {
        var lease = await _inner.TryAcquireAsync(_record, "replica-a", CancellationToken.None);
        Assert.NotNull(lease);
        _store.StartedAt = _time.GetUtcNow();
        // Its redial waits at least half the nominal hour (the jitter rule); every other timer it sets before is seconds.
        var clock = new RedialWatchingClock(_time, TimeSpan.FromMinutes(1));
        var options = new RtmsClientOptions { ReconnectInitialDelay = RedialBackoff, ReconnectMaxDelay = RedialBackoff };
        var metrics = new GatewayMetrics(new TestMeterFactory());
        var upstream = new UpstreamContext(
            new RtmsStreamTarget(_record.InstanceId, _record.StreamId, new Uri(_record.SignalingUrl)),
            options,
            new ZoomCredentials("client-id", "client-secret"),
            _connector,
            new RtmsMessageReader(options.MaxMessageBytes),
            clock,
            NullLogger.Instance,
            metrics);
        var session = new StreamSession(
            new SessionHub(_record, lease.Epoch, lease.ReplicaId, new FanoutOptions(), clock, metrics),
            lease,
            upstream,
            _store,
            new OwnershipJanitor(_store, clock, metrics, NullLogger<OwnershipJanitor>.Instance),
            new SilentCatalog(),
            new Random(1));
        var run = session.RunAsync();
        await Task.WhenAny(clock.RedialScheduled, run);
        Assert.False(run.IsCompleted, "the session ended before it scheduled a redial");
        Assert.Empty(_store.Renewals);
        return (session, run);
    }

    /// <summary>Runs a test off the test framework's synchronization context, so that awaits inside the session capture none
    /// and the fake clock resumes them inline.</summary>
    private static Task Unscheduled(Func<Task> test) => Task.Run(test);

    /// <summary>The fake clock, telling when the session scheduled its first redial (the only timer it sets of at least <c>atLeast</c>).</summary>
    private sealed class RedialWatchingClock(FakeTimeProvider time, TimeSpan atLeast) : TimeProvider
    {
        private readonly TaskCompletionSource _redial = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task RedialScheduled => _redial.Task;

        public override long TimestampFrequency => time.TimestampFrequency;

        public override DateTimeOffset GetUtcNow() => time.GetUtcNow();

        public override long GetTimestamp() => time.GetTimestamp();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = time.CreateTimer(callback, state, dueTime, period);
            if (dueTime >= atLeast && dueTime != Timeout.InfiniteTimeSpan)
            {
                _redial.TrySetResult();
            }
            return timer;
        }
    }

    /// <summary>The in-memory store, with a switch that makes it unreachable, and a log of renewals and releases.</summary>
    private sealed class SeverableStore(InMemoryOwnershipStore inner, TimeProvider time) : IOwnershipStore
    {
        public bool Reachable { get; set; } = true;

        public DateTimeOffset StartedAt { get; set; }

        /// <summary>When each renewal that reached the store was made, since the session started.</summary>
        public List<TimeSpan> Renewals { get; } = [];

        public int Unavailable { get; private set; }

        public int Releases { get; private set; }

        public TimeSpan LeaseTtl => inner.LeaseTtl;

        public Task<bool> RenewAsync(OwnershipLease lease, CancellationToken ct)
        {
            if (!Reachable)
            {
                Unavailable++;
                throw new OwnershipStoreUnavailableException("cut off by the test");
            }
            Renewals.Add(time.GetUtcNow() - StartedAt);
            return inner.RenewAsync(lease, ct);
        }

        public Task ReleaseAsync(OwnershipLease lease, CancellationToken ct)
        {
            Releases++;
            return inner.ReleaseAsync(lease, ct);
        }

        public Task<OwnershipLease?> TryAcquireAsync(SessionRecord record, string replicaId, CancellationToken ct) => inner.TryAcquireAsync(record, replicaId, ct);

        public Task RegisterAsync(SessionRecord record, CancellationToken ct) => inner.RegisterAsync(record, ct);

        public Task ForgetAsync(string streamId, CancellationToken ct) => inner.ForgetAsync(streamId, ct);

        public Task<SessionOwnership?> GetAsync(string streamId, CancellationToken ct) => inner.GetAsync(streamId, ct);

        public Task<IReadOnlyList<string>> FindOrphansAsync(CancellationToken ct) => inner.FindOrphansAsync(ct);
    }

    private sealed class SilentCatalog : ISessionCatalog
    {
        public void Announce(SessionInfo info, SessionChange change)
        {
        }

        public Task<IReadOnlyList<SessionInfo>> ListAsync(bool includeStopped, string instanceId, CancellationToken ct) => Task.FromResult<IReadOnlyList<SessionInfo>>([]);

        public Task<SessionInfo?> FindAsync(string streamId, string instanceId, CancellationToken ct) => Task.FromResult<SessionInfo?>(null);
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }

    public void Dispose() => _connector.Dispose();
}
