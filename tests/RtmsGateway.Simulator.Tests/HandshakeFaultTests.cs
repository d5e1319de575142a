using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator.Tests;

/// <summary>Handshake answers a client cannot use: a refusal without <c>status_code</c>, and an accepted data handshake
/// whose payloads are declared encrypted.</summary>
public sealed class HandshakeFaultTests : IAsyncLifetime
{
    private SimulatorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_signaling_handshake_can_be_refused_without_a_status_code()
    {
        var (meeting, _) = await _harness.StartMeetingAsync(SimulatorHarness.FastMeeting());
        meeting.Faults.AnswerHandshakesWithoutStatus(signaling: true, data: false);
        await using var client = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri, "signaling");

        await client.SendAsync(SimulatorHarness.SignalingRequest(meeting));
        var response = await client.ExpectAsync(2);

        Assert.False(response.ContainsKey("status_code"), response.ToJsonString());
        Assert.False(string.IsNullOrEmpty((string?)response["reason"]));
        Assert.False(response.ContainsKey("media_server"));
        Assert.Equal(1, meeting.Counters.SignalingRefused);

        // Switched off, the next handshake is answered normally.
        meeting.Faults.AnswerHandshakesWithoutStatus(signaling: false, data: false);
        var (again, accepted) = await _harness.SignalAsync(meeting);
        await using var _ = again;
        Assert.Equal(0, (int)accepted["status_code"]!);
    }

    [Fact]
    public async Task A_data_handshake_can_be_refused_without_a_status_code()
    {
        var (meeting, _) = await _harness.StartMeetingAsync(SimulatorHarness.FastMeeting());
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        meeting.Faults.AnswerHandshakesWithoutStatus(signaling: false, data: true);
        await using var media = await RawRtmsClient.ConnectAsync(new Uri((string)response["media_server"]!["server_urls"]!["all"]!), "all");

        await media.SendAsync(SimulatorHarness.DataRequest(meeting, 32));
        var data = await media.ExpectAsync(4);

        Assert.False(data.ContainsKey("status_code"), data.ToJsonString());
        Assert.False(data.ContainsKey("media_params"));
        Assert.Equal(1, meeting.Counters.MediaRefused);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Data_handshakes_of_the_chosen_types_are_accepted_as_encrypted(bool payloadEncryptedName)
    {
        var options = SimulatorHarness.FastMeeting();
        options.Variants.PayloadEncryptedFlag = payloadEncryptedName;
        var (meeting, _) = await _harness.StartMeetingAsync(options);
        meeting.Faults.EncryptedPayloads = MediaDataType.Video;
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        var flag = payloadEncryptedName ? "payload_encrypted" : "payload_encryption";

        var (video, videoAnswer) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "video", (int)MediaDataType.Video);
        await using var v = video;
        var (audio, audioAnswer) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "audio", (int)MediaDataType.Audio);
        await using var a = audio;

        Assert.Equal((0, true), ((int)videoAnswer["status_code"]!, (bool)videoAnswer[flag]!));
        Assert.Equal((0, false), ((int)audioAnswer["status_code"]!, (bool)audioAnswer[flag]!));
    }
}
