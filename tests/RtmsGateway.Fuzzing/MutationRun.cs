namespace RtmsGateway.Fuzzing;

/// <summary>How long to mutate, where the seeds are, where a failing input is saved, and the random seed that makes a run repeatable.</summary>
public sealed record MutationRun(TimeSpan Duration, string CorpusDirectory, string FindingsDirectory, int Seed);
