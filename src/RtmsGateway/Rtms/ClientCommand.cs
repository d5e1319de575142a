using RtmsGateway.Protocol;

namespace RtmsGateway.Rtms;

/// <summary>What the session manager asks of a running <see cref="RtmsStreamClient"/>.</summary>
internal abstract record ClientCommand
{
    /// <param name="IssuedAt">When the request arrived (<see cref="TimeProvider.GetTimestamp"/>): a request older than the
    /// current connection is about a connection already replaced, and is ignored.</param>
    public sealed record Reconnect(string Reason, long IssuedAt) : ClientCommand;

    public sealed record Redirect(Uri Url) : ClientCommand;

    public sealed record Stop(StopReason Reason) : ClientCommand;
}
