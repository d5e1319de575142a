namespace RtmsGateway.Sessions;

/// <summary>
/// Carries <see cref="SessionCommand"/>s from the replica that received a webhook to the replica that runs the stream.
/// Single node: nothing to carry (every stream runs here). Cluster: the owner's own Redis (sharded) pub/sub channel.
/// </summary>
internal interface ISessionCommandBus
{
    /// <summary>Sends <paramref name="command"/> to <paramref name="ownerReplicaId"/>, the replica whose lease says it runs the
    /// stream (followed to the new owner if nobody is listening there any more).</summary>
    Task PublishAsync(SessionCommand command, string ownerReplicaId, CancellationToken ct);

    /// <summary>Registers the handler of commands from other replicas (one handler: the session manager).</summary>
    void OnCommand(Action<SessionCommand> handler);
}
