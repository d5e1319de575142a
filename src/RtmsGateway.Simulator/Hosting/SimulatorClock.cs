namespace RtmsGateway.Simulator;

/// <summary>The simulator's two clocks, both from the configured <see cref="TimeProvider"/>: monotonic milliseconds for
/// pacing and deadlines, wall-clock epoch milliseconds for Zoom timestamps.</summary>
internal sealed class SimulatorClock(TimeProvider time)
{
    private readonly long _origin = time.GetTimestamp();

    public TimeProvider Time => time;

    /// <summary>Monotonic milliseconds since the simulator started.</summary>
    public long MonoMs => (long)time.GetElapsedTime(_origin).TotalMilliseconds;

    public DateTimeOffset UtcNow => time.GetUtcNow();

    /// <summary>Epoch milliseconds, the unit of Zoom's timestamps.</summary>
    public long WallMs => time.GetUtcNow().ToUnixTimeMilliseconds();
}
