using Grpc.Core;

namespace RtmsGateway.Client.Examples;

/// <summary>Prints a meeting's live transcripts as "speaker: text", and every gap and the end as they come.</summary>
internal static class Transcripts
{
    public static async Task<int> RunAsync(ExampleOptions options, CancellationToken stop)
    {
        var count = options.Int("count", int.MaxValue); // stop after this many segments (default: at the meeting's end)
        await using var gateway = options.Connect();
        try
        {
            var printed = 0;
            await foreach (var item in gateway.SubscribeTranscripts(options.Target, stop))
            {
                switch (item.Kind)
                {
                    case StreamItemKind.Message:
                        Console.WriteLine($"{item.Message!.Header.UserName}: {item.Message.Text}");
                        if (++printed == count)
                        {
                            return 0;
                        }
                        break;
                    case StreamItemKind.Gap:
                        Console.WriteLine($"[gap] {item.Gap!.MissedCount} segments missed ({item.Gap.Reason})");
                        break;
                    case StreamItemKind.Ended:
                        Console.WriteLine($"[ended] {item.Ended!.StopReason} {item.Ended.Description}");
                        break;
                }
            }
            return 0;
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            return 0; // Ctrl+C or SIGTERM
        }
        catch (RpcException error)
        {
            Console.Error.WriteLine($"stopped: {error.StatusCode} {error.Status.Detail}");
            return 1;
        }
    }
}
