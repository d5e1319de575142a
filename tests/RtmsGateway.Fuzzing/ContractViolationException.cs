namespace RtmsGateway.Fuzzing;

/// <summary>A parser broke its contract on some input: the fuzzers report it as a crash.</summary>
public sealed class ContractViolationException(string message, Exception? inner = null) : Exception(message, inner);
