using Grpc.Core;

namespace RtmsGateway.Client.Examples;

/// <summary>
/// Records a meeting's mixed audio as a WAV file (L16, 16 kHz, mono, as asked of the gateway). Every gap becomes
/// silence of the missed duration, so the file's timing stays true; the file is finalized at the meeting's end, on
/// Ctrl+C and on SIGTERM.
/// </summary>
internal static class WavRecording
{
    public static async Task<int> RunAsync(ExampleOptions options, CancellationToken stop)
    {
        var path = options["out"] ?? "meeting.wav";
        await using var gateway = options.Connect();
        try
        {
            await using var wav = WavWriter.Create(path, sampleRateHz: 16000, channels: 1);
            var started = false;
            try
            {
                await foreach (var item in gateway.SubscribeAudio(options.Target, wav.Format, stop))
                {
                    wav.Write(item);
                    if (item.Kind == StreamItemKind.Message && !started)
                    {
                        Console.WriteLine($"recording {path}");
                        started = true;
                    }
                    else if (item.Kind == StreamItemKind.Gap)
                    {
                        Console.WriteLine($"[gap] {item.Gap!.MissedCount} frames missed ({item.Gap.Reason}): written as silence");
                    }
                    else if (item.Kind == StreamItemKind.Ended)
                    {
                        Console.WriteLine($"[ended] {item.Ended!.StopReason} {item.Ended.Description}");
                    }
                }
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                // Ctrl+C or SIGTERM: the using block finalizes the file.
            }
            Console.WriteLine($"wrote {path}: {wav.Duration.TotalSeconds:F2} s");
            return 0;
        }
        catch (RpcException error)
        {
            Console.Error.WriteLine($"stopped: {error.StatusCode} {error.Status.Detail} ({path} is finalized)");
            return 1;
        }
    }
}
