using System.Collections.Concurrent;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using RtmsGateway.Timing;

namespace RtmsGateway.Sessions;

/// <summary>
/// Finishes ownership bookkeeping that the store could not take when it was due. A stream that ended while Redis was
/// unreachable must still be forgotten when Redis returns, or another replica would find its record without a lease and
/// take the dead stream over (Zoom would refuse it, but the attempt is wasted and confusing). Forgets are retried every
/// few seconds until they succeed; releases are tried once (an unreleased lease simply expires).
/// </summary>
internal sealed partial class OwnershipJanitor(IOwnershipStore ownership, TimeProvider time, GatewayMetrics metrics, ILogger<OwnershipJanitor> logger) : BackgroundService
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);

    /// <summary>Bounded: a record the janitor cannot forget for this many streams simply expires in the store.</summary>
    private const int MaxPending = 100_000;

    private readonly ConcurrentDictionary<string, byte> _pendingForgets = new(StringComparer.Ordinal);

    public int PendingForgets => _pendingForgets.Count;

    /// <summary>Forgets the stream's record now, or later if the store is unreachable.</summary>
    public async Task ForgetAsync(string streamId)
    {
        if (await TryForgetAsync(streamId, CancellationToken.None) is { } error && _pendingForgets.Count < MaxPending)
        {
            LogForgetDeferred(streamId, error);
            _pendingForgets.TryAdd(streamId, 0);
        }
    }

    /// <summary>Gives the lease up so another replica takes over at once; if the store is unreachable the lease expires instead.</summary>
    public async Task ReleaseAsync(OwnershipLease lease)
    {
        try
        {
            using var timeout = new TimeoutScope(CallTimeout, time, CancellationToken.None);
            await ownership.ReleaseAsync(lease, timeout.Token);
        }
        catch (Exception ex) when (ex is OwnershipStoreUnavailableException or OperationCanceledException)
        {
            LogReleaseFailed(lease.StreamId, ex.Message);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.RunAsync("ownership_janitor", async ct =>
        {
            foreach (var streamId in _pendingForgets.Keys)
            {
                if (await TryForgetAsync(streamId, ct) is not null)
                {
                    break;
                }
                _pendingForgets.TryRemove(streamId, out _);
            }
            return RetryInterval;
        }, RetryInterval, time, logger, metrics, stoppingToken);

    /// <summary>Null when forgotten, else why not.</summary>
    private async Task<string?> TryForgetAsync(string streamId, CancellationToken ct)
    {
        try
        {
            using var timeout = new TimeoutScope(CallTimeout, time, ct);
            await ownership.ForgetAsync(streamId, timeout.Token);
            return null;
        }
        catch (Exception ex) when (ex is OwnershipStoreUnavailableException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return ex.Message;
        }
    }

    [LoggerMessage(EventId = LogEventIds.ForgetDeferred, Level = LogLevel.Warning, Message = "Session {StreamId} ended but the ownership store is unreachable ({Error}); its record is forgotten when the store is back")]
    private partial void LogForgetDeferred(string streamId, string error);

    [LoggerMessage(EventId = LogEventIds.ReleaseFailed, Level = LogLevel.Warning, Message = "Could not release the lease of {StreamId} ({Error}); it expires on its own")]
    private partial void LogReleaseFailed(string streamId, string error);
}
