using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator.Tests;

/// <summary>What the simulator records for the one-client-per-stream invariant: the high-water mark of live signaling
/// connections (per meeting and in total), duplicate handshakes, and which client socket each handshake came from.</summary>
public sealed class SignalingOwnershipTests : IAsyncLifetime
{
    private SimulatorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_refused_duplicate_is_recorded_with_both_client_endpoints_and_never_counts_as_live()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (first, _) = await _harness.SignalAsync(meeting);
        await using (first)
        {
            await using var second = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri);
            await second.SendAsync(SimulatorHarness.SignalingRequest(meeting));
            Assert.Equal(8, (int)(await second.ExpectAsync(2))["status_code"]!);
            await second.Closed.WaitAsync(RawRtmsClient.Timeout);

            var attempts = meeting.SignalingAttempts;
            Assert.Equal(2, attempts.Count);
            Assert.Equal((StatusCode.Ok, false), (attempts[0].Status, attempts[0].Duplicate));
            Assert.Equal((StatusCode.DuplicateSignalRequest, true), (attempts[1].Status, attempts[1].Duplicate));
            Assert.Equal(attempts[0].RemoteEndpoint, attempts[1].LiveRemoteEndpoint);
            Assert.NotEqual(attempts[0].RemoteEndpoint, attempts[1].RemoteEndpoint);
            Assert.StartsWith("127.0.0.1:", attempts[0].RemoteEndpoint, StringComparison.Ordinal);
            Assert.Equal((1, 1, 1), (meeting.Counters.DuplicatesFlagged, meeting.Counters.LiveSignalingConnections, meeting.Counters.MaxLiveSignalingConnections));
        }

        // The first client leaves; a new one is no duplicate, and the mark stays at one connection at a time.
        using var timeout = new CancellationTokenSource(RawRtmsClient.Timeout);
        await meeting.WaitForAsync(c => c.LiveSignalingConnections == 0, timeout.Token);
        var (third, response) = await _harness.SignalAsync(meeting);
        await using var t = third;
        Assert.Equal(0, (int)response["status_code"]!);
        Assert.Equal((3, 1, 1), (meeting.SignalingAttempts.Count, meeting.Counters.DuplicatesFlagged, meeting.Counters.MaxLiveSignalingConnections));
        Assert.False(meeting.SignalingAttempts[^1].Duplicate);
    }

    [Fact]
    public async Task The_totals_count_live_signaling_connections_over_every_meeting()
    {
        var (one, _) = await _harness.StartMeetingAsync();
        var (two, _) = await _harness.StartMeetingAsync();
        var (a, _) = await _harness.SignalAsync(one);
        await using var x = a;
        var (b, _) = await _harness.SignalAsync(two);
        await using var y = b;
        Assert.Equal(2, _harness.Simulator.Counters.MaxLiveSignalingConnections);
        Assert.Equal((1, 1), (one.Counters.MaxLiveSignalingConnections, two.Counters.MaxLiveSignalingConnections));
        Assert.Equal(0, _harness.Simulator.Counters.DuplicateSignalingFlagged);
    }

    [Fact]
    public async Task A_meeting_keeps_only_its_latest_signaling_attempts()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (live, _) = await _harness.SignalAsync(meeting);
        await using var l = live;
        for (var i = 0; i < SimulatedMeeting.SignalingAttemptsKept + 5; i++)
        {
            meeting.Faults.RejectNextSignalingAsDuplicate();
            await using var refused = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri);
            await refused.SendAsync(SimulatorHarness.SignalingRequest(meeting));
            await refused.ExpectAsync(2);
        }
        Assert.Equal(SimulatedMeeting.SignalingAttemptsKept, meeting.SignalingAttempts.Count);
        Assert.All(meeting.SignalingAttempts, attempt => Assert.Equal(StatusCode.DuplicateSignalRequest, attempt.Status));
    }
}
