namespace RtmsGateway.Rtms;

/// <summary>How one signaling session of an <see cref="RtmsStreamClient"/> ended.</summary>
internal abstract record SessionOutcome
{
    /// <summary>The stream is over (Zoom terminated it, a stop was requested, or a fatal error).</summary>
    public sealed record Stopped(RtmsStopResult Result) : SessionOutcome;

    /// <summary>The connection was lost; reconnect with backoff. <paramref name="ReachedStreaming"/> resets the backoff.</summary>
    public sealed record Lost(string Reason, bool ReachedStreaming) : SessionOutcome;

    /// <summary>Zoom failed over to a new signaling URL; reconnect at once.</summary>
    public sealed record Redirected(Uri Url) : SessionOutcome;
}
