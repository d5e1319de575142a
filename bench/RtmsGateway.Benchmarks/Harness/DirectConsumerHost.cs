using System.Diagnostics;
using System.Globalization;

namespace RtmsGateway.Benchmarks.Harness;

/// <summary>
/// The direct consumers' own process (<c>--direct-consumer</c>), driven line by line on stdin by
/// <see cref="DirectConsumerProcess"/>: <c>meeting &lt;signaling-uri&gt; &lt;meeting-uuid&gt; &lt;stream-id&gt;</c> adds one,
/// <c>connect</c> connects those added (answer <c>connected N</c>), <c>window</c> starts a measurement window (answer
/// <c>ok</c>), <c>report</c> ends it (answer <c>report frames missed p50 p99 p999 cpu-seconds</c>); <c>exit</c> or the end of
/// stdin stops. Its CPU is then the consumers' alone: the simulator runs in the parent.
/// </summary>
internal static class DirectConsumerHost
{
    public static async Task<int> RunAsync()
    {
        var latency = new LatencySamples();
        var tally = new StreamTally();
        var consumers = new List<DirectRtmsConsumer>();
        var pending = new List<(Uri Signaling, DirectRtmsConsumer Consumer)>();
        var cpuMark = TimeSpan.Zero;
        try
        {
            while (await Console.In.ReadLineAsync() is { } line)
            {
                var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                switch (words.FirstOrDefault())
                {
                    case "meeting" when words.Length == 4:
                        pending.Add((new Uri(words[1]), new DirectRtmsConsumer(words[2], words[3], GatewayRig.ClientId, GatewayRig.ClientSecret, latency, tally)));
                        break;
                    case "connect":
                        foreach (var batch in pending.Chunk(50))
                        {
                            await Task.WhenAll(batch.Select(p => p.Consumer.StartAsync(p.Signaling)));
                        }
                        consumers.AddRange(pending.Select(p => p.Consumer));
                        pending.Clear();
                        Answer($"connected {consumers.Count}");
                        break;
                    case "window":
                        latency.Clear();
                        tally.Reset();
                        cpuMark = Process.GetCurrentProcess().TotalProcessorTime;
                        Answer("ok");
                        break;
                    case "report":
                        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuMark).TotalSeconds;
                        Answer(string.Create(CultureInfo.InvariantCulture,
                            $"report {tally.Messages} {tally.Missed} {latency.Percentile(50):R} {latency.Percentile(99):R} {latency.Percentile(99.9):R} {cpu:R}"));
                        break;
                    case "exit":
                        return 0;
                    default:
                        await Console.Error.WriteLineAsync($"direct consumer: unknown command '{line}'");
                        return 2;
                }
            }
            return 0;
        }
        finally
        {
            foreach (var consumer in consumers.Concat(pending.Select(p => p.Consumer)))
            {
                await consumer.DisposeAsync();
            }
        }
    }

    private static void Answer(string line)
    {
        Console.Out.WriteLine(line);
        Console.Out.Flush();
    }
}
