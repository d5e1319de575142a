namespace RtmsGateway.Tests.Chaos;

/// <summary>Chaos runs measure recovery times on real processes: they run alone, after the parallel tests, so the
/// rest of the suite does not steal the CPU they time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChaosCollection
{
    public const string Name = "Chaos (alone)";
}
