using RtmsGateway.Protocol;

namespace RtmsGateway.Rtms;

/// <summary>How one signaling session of an <see cref="RtmsStreamClient"/> ended.</summary>
internal abstract record SessionOutcome
{
    /// <summary>The stream is over (Zoom terminated it, a stop was requested, or a fatal error).</summary>
    public sealed record Stopped(RtmsStopResult Result) : SessionOutcome;

    /// <summary>The connection was lost; reconnect with backoff.</summary>
    public sealed record Lost(string Reason) : SessionOutcome;

    /// <summary>Zoom stopped the stream with a reason that calls for a full restart (10-19, 24).</summary>
    public sealed record Restart(StopReason Reason) : SessionOutcome;

    /// <summary>Zoom failed over to a new signaling URL; reconnect at once.</summary>
    public sealed record Redirected(Uri Url) : SessionOutcome;
}
