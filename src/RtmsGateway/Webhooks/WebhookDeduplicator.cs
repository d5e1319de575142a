using System.Collections.Concurrent;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Webhooks;

/// <summary>
/// Recognises webhook deliveries seen before (Zoom retries for up to ~85 minutes when a delivery was not acknowledged,
/// §2.6): same event, stream, <c>event_ts</c> and server URLs. A repeated <c>rtms_started</c> with a new <c>event_ts</c> is a
/// failover, not a duplicate.
/// </summary>
internal sealed class WebhookDeduplicator(TimeProvider time)
{
    private static readonly TimeSpan Memory = TimeSpan.FromHours(3);
    private const int PruneEvery = 1024;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private int _inserts;

    /// <summary>True the first time a delivery is seen.</summary>
    public bool FirstTime(ZoomWebhookEvent evt)
    {
        var key = string.Join('|', evt.Event, evt.RtmsStreamId, evt.EventTimestamp, string.Join(',', evt.ServerUrls), evt.StopReason);
        var now = time.GetUtcNow();
        if (!_seen.TryAdd(key, now + Memory))
        {
            return false;
        }
        if (Interlocked.Increment(ref _inserts) % PruneEvery == 0)
        {
            foreach (var (k, expires) in _seen)
            {
                if (expires < now)
                {
                    _seen.TryRemove(k, out _);
                }
            }
        }
        return true;
    }
}
