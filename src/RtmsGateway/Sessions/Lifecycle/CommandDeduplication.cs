using RtmsGateway.Ownership;

namespace RtmsGateway.Sessions.Lifecycle;

/// <summary>
/// Tells a webhook command's first delivery from its repeats: Zoom retries, and a webhook sent to every replica reaches the
/// owner once directly and again forwarded. A stop or reconnect counts once per <c>event_ts</c>; a redirect once per
/// failover (<see cref="SessionRecord.IsFailover"/>).
/// </summary>
internal sealed class CommandDeduplication(SessionRecord record)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<SessionCommandKind, long> _applied = [];
    private SessionRecord _signaling = record;

    public bool FirstTime(SessionCommand command)
    {
        lock (_lock)
        {
            if (command.Kind == SessionCommandKind.Redirect)
            {
                var url = command.SignalingUrl ?? string.Empty;
                if (!_signaling.IsFailover(command.EventTimestamp, url))
                {
                    return false;
                }
                _signaling = _signaling with { EventTimestamp = command.EventTimestamp, SignalingUrl = url };
                return true;
            }
            if (_applied.TryGetValue(command.Kind, out var last) && command.EventTimestamp <= last)
            {
                return false;
            }
            _applied[command.Kind] = command.EventTimestamp;
            return true;
        }
    }
}
