namespace RtmsGateway.Tests.Chaos;

/// <summary>What a chaos run leaves for the test: the seed, the violations, the rendered report and the replicas' output.</summary>
internal sealed record ChaosResult(int Seed, IReadOnlyList<ChaosViolation> Violations, string Report, string ReplicaOutput, string LogPath, TimeSpan Elapsed)
{
    public string FailureMessage() =>
        $"Chaos run with seed {Seed} found {Violations.Count} violation(s) in {Elapsed.TotalSeconds:0}s (full log: {LogPath}).\n{Report}\nReplica output (tails; full output in the log):\n{ReplicaOutput}";
}
