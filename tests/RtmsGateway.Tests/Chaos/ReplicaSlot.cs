using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Chaos;

/// <summary>One of the N places of the cluster: its own Redis proxy (so Redis can be cut for it alone) and the replica
/// process running there now. A replica that is killed or exits is replaced by a fresh process with a new id.</summary>
internal sealed class ReplicaSlot(int index, FaultProxy proxy)
{
    private int _generation;

    public int Index { get; } = index;

    public char Letter => (char)('a' + Index);

    public FaultProxy Proxy { get; } = proxy;

    /// <summary>The replica here now (null only before the first start).</summary>
    public GatewayReplica? Current { get; set; }

    /// <summary>A replacement being started, if any.</summary>
    public Task? Replacing { get; set; }

    /// <summary>Running, not leaving, not being replaced.</summary>
    public bool IsLive => Current is { HasExited: false } && Replacing is null or { IsCompleted: true };

    public string NextReplicaId() => $"replica-{Letter}{++_generation}";

    public override string ToString() => $"slot {Letter}: {Current?.ReplicaId ?? "(none)"} via {Proxy}";
}
