namespace RtmsGateway.Tests.Infrastructure;

/// <summary>The system clock with its wall-clock time moved by <paramref name="offset"/> (timers and timestamps are the
/// system's): a Zoom whose clock is not this machine's.</summary>
public sealed class SkewedTimeProvider(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
