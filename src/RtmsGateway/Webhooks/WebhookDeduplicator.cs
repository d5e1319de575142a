using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Webhooks;

/// <summary>
/// Recognises webhook deliveries seen before (Zoom retries for up to ~85 minutes when a delivery was not acknowledged,
/// §2.6): same event, stream, <c>event_ts</c>, server URLs and stop reason. A repeated <c>rtms_started</c> with a new
/// <c>event_ts</c> is a failover, not a duplicate. Bounded: it remembers each delivery for <see cref="Memory"/> and at most
/// <c>capacity</c> deliveries (the oldest is forgotten first), so however many signed events arrive, it holds a bounded
/// amount of memory (about 300 bytes a delivery). Only signed deliveries reach it. Used by one thread (the router).
/// </summary>
internal sealed class WebhookDeduplicator(TimeProvider time, int capacity)
{
    public static readonly TimeSpan Memory = TimeSpan.FromHours(3);

    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset Expires)> _order = new();

    public int Count => _seen.Count;

    /// <summary>True the first time a delivery is seen.</summary>
    public bool FirstTime(ZoomWebhookEvent evt)
    {
        var key = string.Join('|', evt.Event, evt.RtmsStreamId, evt.EventTimestamp, string.Join(',', evt.ServerUrls), evt.StopReason);
        var now = time.GetUtcNow();
        Expire(now);
        if (_seen.ContainsKey(key))
        {
            return false;
        }
        while (_seen.Count >= capacity && _order.TryDequeue(out var oldest))
        {
            _seen.Remove(oldest.Key);
        }
        var expires = now + Memory;
        _seen[key] = expires;
        _order.Enqueue((key, expires));
        return true;
    }

    private void Expire(DateTimeOffset now)
    {
        while (_order.TryPeek(out var oldest) && oldest.Expires <= now)
        {
            _order.Dequeue();
            _seen.Remove(oldest.Key);
        }
    }
}
