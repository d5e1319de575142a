using System.Net.WebSockets;
using Microsoft.Extensions.Time.Testing;
using RtmsGateway.Configuration;
using RtmsGateway.Protocol;
using RtmsGateway.Rtms;
using RtmsGateway.Sessions.Lifecycle;

namespace RtmsGateway.Tests.Lifecycle;

/// <summary>
/// A <see cref="StreamStateMachine"/> on a <see cref="FakeTimeProvider"/>, with its effects recorded. The timers it starts
/// run on the fake clock and are delivered to it as <see cref="StreamEvent.TimerElapsed"/> when the clock passes them (a
/// timer replaces the previous one of the same kind and link, as <see cref="StreamSession"/> does), so moving the clock
/// is all a test does to let time pass. Everything runs on the test's thread. <see cref="FakeTimeProvider.Advance"/> fires
/// each timer due by the end of the call once, with the clock at that end, so a test that cares when something happens
/// advances by exactly the timer's delay (<see cref="ElapseLast"/>).
/// </summary>
internal sealed class MachineUnderTest
{
    public static readonly Uri SignalingUrl = new("wss://signaling.zoom.test/rtms");

    public static readonly MediaDataType UnifiedTypes = MediaDataType.Audio | MediaDataType.Video | MediaDataType.Transcript;

    /// <summary>One socket for all types (Zoom's <c>all</c> URL).</summary>
    public static readonly MediaLinkPlan Unified = new(UnifiedTypes, new Uri("wss://media.zoom.test/all"));

    public static readonly MediaLinkPlan Audio = new(MediaDataType.Audio, new Uri("wss://media.zoom.test/audio"));

    public static readonly MediaLinkPlan Video = new(MediaDataType.Video, new Uri("wss://media.zoom.test/video"));

    public static readonly MediaLinkPlan Transcript = new(MediaDataType.Transcript, new Uri("wss://media.zoom.test/transcript"));

    private readonly Dictionary<StreamTimer, ITimer> _timers = [];

    public MachineUnderTest(RtmsClientOptions? options = null, TimeSpan? leaseTtl = null, int seed = 1)
    {
        Options = options ?? new RtmsClientOptions();
        // Long unless a test is about the lease: the lease rule would otherwise stop dialling in tests that let minutes pass.
        LeaseTtl = leaseTtl ?? TimeSpan.FromDays(1);
        Effects.TimerStarted = Schedule;
        Machine = new StreamStateMachine(SignalingUrl, Options, LeaseTtl, Time, new Random(seed), Effects);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public RecordingEffects Effects { get; } = new();

    public RtmsClientOptions Options { get; }

    public TimeSpan LeaseTtl { get; }

    public StreamStateMachine Machine { get; }

    public StreamPhase Phase => Machine.Phase;

    /// <summary>The signaling attempt dialled last.</summary>
    public int Attempt => Effects.All<Effect.Dial>().LastOrDefault()?.Attempt ?? 0;

    public int Dials => Effects.All<Effect.Dial>().Count();

    public RtmsStopResult Finished => Assert.IsType<StreamEnding.Finished>(Machine.Ending).Result;

    public void Start() => Machine.Start();

    public void Handle(StreamEvent e) => Machine.Handle(e);

    public void Advance(TimeSpan by) => Time.Advance(by);

    /// <summary>Lets the last timer of <paramref name="kind"/> (and everything due before it) elapse.</summary>
    public Effect.Timer ElapseLast(StreamTimerKind kind)
    {
        var timer = LastTimer(kind);
        Advance(timer.Delay);
        return timer;
    }

    public Effect.Timer LastTimer(StreamTimerKind kind) => Effects.All<Effect.Timer>().Last(t => t.Which.Kind == kind);

    /// <summary>Zoom accepted the current attempt's handshake, offering <paramref name="links"/>.</summary>
    public void Opened(params MediaLinkPlan[] links) => Handle(new StreamEvent.SignalingOpened(Attempt, links));

    public void FailDial(Exception? error = null) => Handle(new StreamEvent.SignalingFailed(Attempt, error ?? ConnectionRefused()));

    public void Refused(StatusCode status) => Handle(new StreamEvent.SignalingFailed(Attempt, Refusal(status, signaling: true)));

    public void SignalingEnded(string reason = "closed by Zoom") => Handle(new StreamEvent.SignalingEnded(Attempt, reason));

    /// <summary>The media socket last opened for <paramref name="link"/> in the current attempt.</summary>
    public Effect.Open LastOpen(int link) => Effects.All<Effect.Open>().Last(o => o.Attempt == Attempt && o.Link == link);

    public void MediaReady(int link) => Handle(new StreamEvent.MediaOpened(Attempt, link, LastOpen(link).Generation));

    public void MediaEnded(int link, string reason = "media socket closed") => Handle(new StreamEvent.MediaEnded(Attempt, link, LastOpen(link).Generation, reason));

    public void MediaFailed(int link, Exception error) => Handle(new StreamEvent.MediaFailed(Attempt, link, LastOpen(link).Generation, error));

    public void StreamState(RtmsStreamState state, StopReason? reason = null) => Handle(new StreamEvent.StreamStateReported(Attempt, state, reason));

    /// <summary>Starts, is accepted, and every media socket of <paramref name="links"/> (default: one unified) is ready.</summary>
    public void GoLive(params MediaLinkPlan[] links)
    {
        if (links.Length == 0)
        {
            links = [Unified];
        }
        if (Attempt == 0)
        {
            Start();
        }
        Opened(links);
        for (var i = 0; i < links.Length; i++)
        {
            MediaReady(i);
        }
        Assert.Equal(StreamPhase.Live, Phase);
    }

    public long NowUnixMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public static RtmsHandshakeException Refusal(StatusCode status, bool signaling) => new(status, "refused by the test", signaling);

    public static WebSocketException ConnectionRefused() => new(WebSocketError.Faulted, "connection refused");

    private void Schedule(StreamTimer timer, int generation, TimeSpan delay)
    {
        if (_timers.Remove(timer, out var previous))
        {
            previous.Dispose();
        }
        _timers[timer] = Time.CreateTimer(_ => Machine.Handle(new StreamEvent.TimerElapsed(timer, generation)), null, delay, Timeout.InfiniteTimeSpan);
    }
}
