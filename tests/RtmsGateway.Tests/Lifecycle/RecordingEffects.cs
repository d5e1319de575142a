using RtmsGateway.Protocol;
using RtmsGateway.Rtms;
using RtmsGateway.Sessions.Lifecycle;

namespace RtmsGateway.Tests.Lifecycle;

/// <summary>One call a <see cref="StreamStateMachine"/> made of its <see cref="IStreamEffects"/>.</summary>
internal abstract record Effect
{
    public sealed record Dial(int Attempt, Uri Url) : Effect;

    public sealed record Close(int Attempt, bool EndStream) : Effect;

    public sealed record Open(int Attempt, int Link, int Generation, MediaLinkPlan Plan) : Effect;

    public sealed record Interrupt(int Attempt, int Link, long Since, string Reason) : Effect;

    public sealed record Timer(StreamTimer Which, int Generation, TimeSpan Delay) : Effect;

    public sealed record Report(UpstreamState State, string Detail) : Effect;

    public sealed record Reconnect(string Socket) : Effect;

    public sealed record MediaUnavailable(MediaDataType MediaType, string Detail) : Effect;

    public sealed record StaleInterruption(long EventTimestampMs, long ConnectionStartMs) : Effect;
}

/// <summary>
/// The decider's output, recorded in order (the machine is pure, so what it asks for is all there is to observe).
/// <see cref="TimerStarted"/> lets the harness put each timer on the fake clock.
/// </summary>
internal sealed class RecordingEffects : IStreamEffects
{
    private readonly List<Effect> _calls = [];

    public IReadOnlyList<Effect> Calls => _calls;

    public Action<StreamTimer, int, TimeSpan>? TimerStarted { get; set; }

    /// <summary>A position in <see cref="Calls"/>, for <see cref="Since"/>.</summary>
    public int Mark() => _calls.Count;

    public IReadOnlyList<Effect> Since(int mark) => [.. _calls.Skip(mark)];

    public IEnumerable<T> All<T>() where T : Effect => _calls.OfType<T>();

    public IEnumerable<UpstreamState> Reports => All<Effect.Report>().Select(r => r.State);

    public void DialSignaling(int attempt, Uri url) => _calls.Add(new Effect.Dial(attempt, url));

    public void CloseSignaling(int attempt, bool endStream) => _calls.Add(new Effect.Close(attempt, endStream));

    public void OpenMedia(int attempt, int link, int generation, MediaLinkPlan plan) => _calls.Add(new Effect.Open(attempt, link, generation, plan));

    public void InterruptMediaIfSilent(int attempt, int link, long since, string reason) => _calls.Add(new Effect.Interrupt(attempt, link, since, reason));

    public void StartTimer(StreamTimer timer, int generation, TimeSpan delay)
    {
        _calls.Add(new Effect.Timer(timer, generation, delay));
        TimerStarted?.Invoke(timer, generation, delay);
    }

    public void ReportUpstream(UpstreamState state, string detail) => _calls.Add(new Effect.Report(state, detail));

    public void CountReconnect(string socket) => _calls.Add(new Effect.Reconnect(socket));

    public void IgnoreStaleInterruption(long eventTimestampMs, long connectionStartMs) => _calls.Add(new Effect.StaleInterruption(eventTimestampMs, connectionStartMs));

    public void ReportMediaUnavailable(MediaDataType mediaType, string detail) => _calls.Add(new Effect.MediaUnavailable(mediaType, detail));
}
