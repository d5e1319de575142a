namespace RtmsGateway.Sessions;

/// <summary>Single node: every stream runs on this replica, so there is nobody to forward a command to.</summary>
internal sealed class LocalSessionCommandBus : ISessionCommandBus
{
    public Task PublishAsync(SessionCommand command, string ownerReplicaId, CancellationToken ct) => Task.CompletedTask;

    public void OnCommand(Action<SessionCommand> handler)
    {
    }
}
