namespace RtmsGateway.Sessions;

/// <summary>
/// Carries <see cref="SessionCommand"/>s from the replica that received a webhook to the replica that runs the stream.
/// Single node: nothing to carry (every stream runs here). Cluster: a Redis pub/sub channel every replica listens on.
/// </summary>
internal interface ISessionCommandBus
{
    /// <summary>Sends <paramref name="command"/> to every other replica; the one running the stream applies it.</summary>
    Task PublishAsync(SessionCommand command, CancellationToken ct);

    /// <summary>Registers the handler of commands from other replicas (one handler: the session manager).</summary>
    void OnCommand(Action<SessionCommand> handler);
}
