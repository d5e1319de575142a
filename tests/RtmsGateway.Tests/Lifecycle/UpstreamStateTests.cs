using RtmsGateway.Protocol;
using RtmsGateway.Rtms;
using RtmsGateway.Sessions.Lifecycle;

namespace RtmsGateway.Tests.Lifecycle;

/// <summary>What the machine tells subscribers of the upstream connection: Connecting, Streaming, Paused, Reconnecting — each change once.</summary>
public sealed class UpstreamStateTests
{
    [Fact]
    public void Connecting_is_reported_at_start()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        Assert.Equal([UpstreamState.Connecting], stream.Effects.Reports);
        Assert.IsType<Effect.Report>(stream.Effects.Calls[0]);
    }

    [Fact]
    public void Streaming_is_reported_once_every_media_socket_is_ready()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        stream.Opened(MachineUnderTest.Audio, MachineUnderTest.Video, MachineUnderTest.Transcript);
        stream.MediaReady(0);
        stream.MediaReady(2);
        Assert.Equal([UpstreamState.Connecting], stream.Effects.Reports);

        stream.MediaReady(1);
        Assert.Equal([UpstreamState.Connecting, UpstreamState.Streaming], stream.Effects.Reports);
    }

    [Fact]
    public void Paused_is_reported_on_pause_and_Streaming_again_on_resume()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.StreamState(RtmsStreamState.Paused);
        Assert.Equal(UpstreamState.Paused, stream.Effects.Reports.Last());
        stream.StreamState(RtmsStreamState.Resumed);
        Assert.Equal([UpstreamState.Connecting, UpstreamState.Streaming, UpstreamState.Paused, UpstreamState.Streaming], stream.Effects.Reports);
    }

    [Fact]
    public void A_media_socket_reopening_while_paused_does_not_report_Streaming()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.StreamState(RtmsStreamState.Paused);
        var mark = stream.Effects.Mark();

        stream.MediaEnded(0);
        stream.ElapseLast(StreamTimerKind.MediaReopen);
        stream.MediaReady(0);

        var reports = stream.Effects.Since(mark).OfType<Effect.Report>().Select(r => r.State).ToList();
        Assert.DoesNotContain(UpstreamState.Streaming, reports);
        Assert.Equal(UpstreamState.Paused, reports.Last());
        stream.StreamState(RtmsStreamState.Resumed);
        Assert.Equal(UpstreamState.Streaming, stream.Effects.Reports.Last());
    }

    [Fact]
    public void A_resume_before_every_media_socket_is_ready_reports_Streaming_only_when_they_are()
    {
        var stream = new MachineUnderTest();
        stream.GoLive(MachineUnderTest.Audio, MachineUnderTest.Video);
        stream.StreamState(RtmsStreamState.Paused);
        stream.MediaEnded(1);
        stream.StreamState(RtmsStreamState.Resumed);
        Assert.NotEqual(UpstreamState.Streaming, stream.Effects.Reports.Last());

        stream.ElapseLast(StreamTimerKind.MediaReopen);
        stream.MediaReady(1);
        Assert.Equal(UpstreamState.Streaming, stream.Effects.Reports.Last());
    }

    [Fact]
    public void Reconnecting_is_reported_when_signaling_is_lost()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.SignalingEnded("dropped");
        Assert.Equal(UpstreamState.Reconnecting, stream.Effects.Reports.Last());
        stream.ElapseLast(StreamTimerKind.Redial);
        stream.GoLive();
        Assert.Equal([UpstreamState.Connecting, UpstreamState.Streaming, UpstreamState.Reconnecting, UpstreamState.Streaming], stream.Effects.Reports);
    }

    [Fact]
    public void Reconnecting_is_reported_when_a_streaming_media_socket_is_lost()
    {
        var stream = new MachineUnderTest();
        stream.GoLive(MachineUnderTest.Audio, MachineUnderTest.Video);
        stream.MediaEnded(1);
        Assert.Equal(UpstreamState.Reconnecting, stream.Effects.Reports.Last());
    }

    [Fact]
    public void A_failed_first_dial_reports_Reconnecting()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        stream.FailDial();
        Assert.Equal([UpstreamState.Connecting, UpstreamState.Reconnecting], stream.Effects.Reports);
    }

    [Fact]
    public void The_same_state_is_never_reported_twice_in_a_row()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        for (var i = 0; i < 4; i++)
        {
            stream.FailDial();
            stream.ElapseLast(StreamTimerKind.Redial);
        }
        stream.GoLive(MachineUnderTest.Audio, MachineUnderTest.Video);
        stream.StreamState(RtmsStreamState.Active);
        stream.StreamState(RtmsStreamState.Resumed);
        stream.StreamState(RtmsStreamState.Paused);
        stream.StreamState(RtmsStreamState.Paused);
        stream.StreamState(RtmsStreamState.Resumed);
        stream.MediaEnded(0);
        stream.MediaEnded(1);
        stream.Advance(TimeSpan.FromSeconds(3));
        stream.MediaReady(0);
        stream.MediaReady(1);
        stream.SignalingEnded("dropped");
        stream.ElapseLast(StreamTimerKind.Redial);
        stream.FailDial();

        var reports = stream.Effects.Reports.ToList();
        Assert.All(reports.Zip(reports.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
        Assert.Equal(
            [UpstreamState.Connecting, UpstreamState.Reconnecting, UpstreamState.Streaming, UpstreamState.Paused, UpstreamState.Streaming,
             UpstreamState.Reconnecting, UpstreamState.Streaming, UpstreamState.Reconnecting],
            reports);
    }
}
