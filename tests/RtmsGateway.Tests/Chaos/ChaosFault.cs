using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Chaos;

/// <summary>One step of a schedule: the fault, how long it lasts (outages, partitions), how Redis is cut (outages),
/// whether a partition cuts an owner, and a random number that picks the meeting/replica it hits.</summary>
internal sealed record ChaosFault(FaultKind Kind, TimeSpan Duration, ProxyMode Cut, bool HitsOwner, int Pick)
{
    public override string ToString() => Kind switch
    {
        FaultKind.RedisOutage => $"{Kind} {Duration.TotalSeconds:0.#}s ({Cut})",
        FaultKind.Partition => $"{Kind} of {(HitsOwner ? "an owner" : "a non-owner")} {Duration.TotalSeconds:0.#}s",
        FaultKind.RedisRestartEmpty => $"{Kind} after {Duration.TotalSeconds:0.#}s down",
        _ => Kind.ToString(),
    };
}
