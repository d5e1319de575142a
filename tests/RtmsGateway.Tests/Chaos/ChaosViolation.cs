namespace RtmsGateway.Tests.Chaos;

/// <summary>One broken promise: what, where and when (run time and the fault in progress).</summary>
internal sealed record ChaosViolation(ViolationKind Kind, string Detail, TimeSpan At, string Fault)
{
    public override string ToString() => $"[{At.TotalSeconds,7:0.0}s during {Fault}] {Kind}: {Detail}";
}
