using RtmsGateway.Sessions;

namespace RtmsGateway.Cluster;

/// <summary>A <see cref="SessionCommand"/> on the wire, with the replica that sent it.</summary>
internal sealed record ForwardedSessionCommand(string From, SessionCommand Command);
