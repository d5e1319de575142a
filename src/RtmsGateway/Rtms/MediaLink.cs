using RtmsGateway.Protocol;

namespace RtmsGateway.Rtms;

/// <summary>
/// One media socket slot of a signaling session: its media types and URL, and the cancellation of its current connection
/// attempt, so a "media interrupted" signal from signaling can cut the socket and reconnect it at once.
/// </summary>
internal sealed class MediaLink(MediaDataType mediaType, Uri url)
{
    private readonly Lock _lock = new();
    private CancellationTokenSource? _attempt;
    private string? _interruptReason;
    private bool _interruptPending;

    /// <summary>The media types this socket asks for (narrowed when Zoom refuses one of them).</summary>
    public MediaDataType MediaType { get; private set; } = mediaType;

    public Uri Url { get; } = url;

    /// <summary>Why the current attempt was interrupted, if it was.</summary>
    public string? InterruptReason
    {
        get
        {
            lock (_lock)
            {
                return _interruptReason;
            }
        }
    }

    /// <summary>Stops asking for <paramref name="refused"/> on this socket.</summary>
    public void Without(MediaDataType refused) => MediaType &= ~refused;

    public MediaAttempt BeginAttempt(CancellationToken session)
    {
        lock (_lock)
        {
            _attempt = CancellationTokenSource.CreateLinkedTokenSource(session);
            _interruptReason = null;
            return new MediaAttempt(this, _attempt);
        }
    }

    public void Interrupt(string reason)
    {
        lock (_lock)
        {
            _interruptReason = reason;
            _interruptPending = true;
            _attempt?.Cancel();
        }
    }

    /// <summary>True once after an interrupt: the next attempt should not wait for backoff.</summary>
    public bool TakeInterruptSignal()
    {
        lock (_lock)
        {
            var pending = _interruptPending;
            _interruptPending = false;
            return pending;
        }
    }

    internal void EndAttempt(CancellationTokenSource attempt)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_attempt, attempt))
            {
                _attempt = null;
            }
            attempt.Dispose();
        }
    }
}

/// <summary>The cancellation scope of one media connection attempt.</summary>
internal readonly struct MediaAttempt(MediaLink link, CancellationTokenSource source) : IDisposable
{
    public CancellationToken Token => source.Token;

    public void Dispose() => link.EndAttempt(source);
}
