namespace RtmsGateway.Fuzzing;

/// <summary>
/// One parser under fuzz. <see cref="Run"/> returns normally when the parser kept its contract on the input (a value, or
/// a typed protocol error) and throws anything else: a <see cref="ContractViolationException"/> for a broken promise,
/// or whatever unexpected exception the parser let escape.
/// </summary>
public interface IFuzzTarget
{
    string Name { get; }

    void Run(ReadOnlySpan<byte> input);
}
