using RtmsGateway.Protocol;

namespace RtmsGateway.Sessions;

/// <summary>What a webhook asks of a running session: Zoom failed over, interrupted the signaling connection, or stopped
/// the stream. A webhook may land on any replica; the replica that runs the stream applies it.</summary>
public enum SessionCommandKind
{
    Redirect = 1,
    Reconnect = 2,
    Stop = 3,
}

/// <summary>A webhook's instruction for the stream <see cref="StreamId"/>, forwarded to whichever replica runs it.</summary>
/// <param name="EventTimestamp">The webhook's <c>event_ts</c>: repeated deliveries of one webhook are applied once.</param>
/// <param name="SignalingUrl">The new signaling URL (<see cref="SessionCommandKind.Redirect"/>).</param>
/// <param name="StopReason">Zoom's stop reason (<see cref="SessionCommandKind.Stop"/>).</param>
public sealed record SessionCommand(string StreamId, SessionCommandKind Kind, long EventTimestamp, string? SignalingUrl = null, StopReason StopReason = StopReason.Undefined);
