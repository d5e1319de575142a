using RtmsGateway.Benchmarks.Harness;
using RtmsGateway.Simulator;

namespace RtmsGateway.Benchmarks.Scenarios;

/// <summary>
/// The same meetings read straight from the simulator by lean WebSocket consumers in their own process (what the
/// gateway adds to): their latency, and their CPU per audio frame for the same frames the gateway receives.
/// </summary>
internal static class DirectBaselineScenario
{
    public sealed record Result(int Meetings, double P50, double P99, double P999, long AudioFrames, long Lost, double CpuMicrosPerFrame, double ConsumerCores, double LoadGeneratorCores)
    {
        public string P99Spread { get; init; } = string.Empty;

        public string CpuSpread { get; init; } = string.Empty;
    }

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
        await using var consumers = DirectConsumerProcess.Start();
        foreach (var batch in Enumerable.Range(0, meetings).Chunk(50))
        {
            foreach (var _ in batch)
            {
                var meeting = simulator.AddMeeting(new MeetingOptions { Participants = 3 });
                meeting.Begin();
                await consumers.AddAsync(simulator.SignalingUri, meeting.InstanceId, meeting.StreamId);
            }
            await consumers.ConnectAsync();
        }
        await Task.Delay(settings.Warmup);
        var windows = new List<(DirectConsumerProcess.Window Window, double LoadGeneratorCpu)>();
        for (var w = 0; w < settings.Windows; w++)
        {
            var benchBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            await consumers.StartWindowAsync();
            await Task.Delay(settings.Window);
            var window = await consumers.EndWindowAsync();
            windows.Add((window, (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - benchBefore).TotalSeconds));
        }
        static double PerFrame(DirectConsumerProcess.Window w) => w.Frames == 0 ? double.NaN : w.CpuSeconds / w.Frames;
        var seconds = settings.Window.TotalSeconds;
        return new Result(meetings,
            WindowStats.Median(windows.Select(w => w.Window.P50)), WindowStats.Median(windows.Select(w => w.Window.P99)), WindowStats.Median(windows.Select(w => w.Window.P999)),
            windows.Sum(w => w.Window.Frames), windows.Sum(w => w.Window.Missed), WindowStats.Median(windows.Select(w => PerFrame(w.Window))) * 1e6,
            WindowStats.Median(windows.Select(w => w.Window.CpuSeconds / seconds)), WindowStats.Median(windows.Select(w => w.LoadGeneratorCpu / seconds)))
        {
            P99Spread = WindowStats.Spread(windows.Select(w => w.Window.P99)),
            CpuSpread = WindowStats.Spread(windows.Select(w => PerFrame(w.Window)), 1e6),
        };
    }
}
