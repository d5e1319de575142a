namespace RtmsGateway.Rtms;

/// <summary>What <see cref="RestartPolicy"/> decided after a connection ended.</summary>
internal abstract record RestartDecision
{
    /// <summary>Dial again after <paramref name="Delay"/> (<see cref="TimeSpan.Zero"/>: at once).</summary>
    public sealed record Retry(TimeSpan Delay) : RestartDecision;

    /// <summary>The stream is over.</summary>
    public sealed record Finish(RtmsStopResult Result) : RestartDecision;
}
