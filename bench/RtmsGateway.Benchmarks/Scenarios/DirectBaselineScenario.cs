using RtmsGateway.Benchmarks.Harness;
using RtmsGateway.Simulator;

namespace RtmsGateway.Benchmarks.Scenarios;

/// <summary>The same meetings read straight from the simulator by plain WebSocket consumers: what the gateway adds to.</summary>
internal static class DirectBaselineScenario
{
    public sealed record Result(int Meetings, double P50, double P99, double P999, long AudioFrames, long Lost);

    public static async Task<Result> RunAsync(BenchmarkSettings settings, int meetings)
    {
        await using var simulator = await RtmsSimulator.StartAsync(new SimulatorOptions
        {
            ClientId = GatewayRig.ClientId,
            ClientSecret = GatewayRig.ClientSecret,
            WebhookSecretToken = GatewayRig.WebhookSecret,
            EmbedSendTimestamps = true,
            // Under the load of a thousand meetings on two cores a client may need more than Zoom's 10 s to send its handshake.
            HandshakeTimeout = TimeSpan.FromSeconds(60),
        });
        var latency = new LatencySamples();
        var tally = new StreamTally();
        var consumers = new List<DirectRtmsConsumer>();
        try
        {
            foreach (var batch in Enumerable.Range(0, meetings).Chunk(50))
            {
                var added = batch.Select(_ =>
                {
                    var meeting = simulator.AddMeeting(new MeetingOptions { Participants = 3 });
                    meeting.Begin();
                    return new DirectRtmsConsumer(meeting, GatewayRig.ClientId, GatewayRig.ClientSecret, latency, tally);
                }).ToList();
                consumers.AddRange(added);
                await Task.WhenAll(added.Select(c => c.StartAsync(simulator.SignalingUri)));
            }
            await Task.Delay(settings.Warmup);
            latency.Clear();
            tally.Reset();
            await Task.Delay(settings.Window);
            return new Result(meetings, latency.Percentile(50), latency.Percentile(99), latency.Percentile(99.9), tally.Messages, tally.Missed);
        }
        finally
        {
            foreach (var consumer in consumers)
            {
                await consumer.DisposeAsync();
            }
        }
    }
}
