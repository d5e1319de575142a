using Grpc.Core;
using RtmsGateway.Api.V1;

namespace RtmsGateway.Client.Examples;

/// <summary>
/// Saves a meeting's video key frames, each a picture a decoder can start at, as files named by sequence:
/// JPEG and PNG images as they are, H.264 access units (Annex B, with SPS and PPS) as .h264.
/// </summary>
internal static class Keyframes
{
    public static async Task<int> RunAsync(ExampleOptions options, CancellationToken stop)
    {
        var folder = options["dir"] ?? "keyframes";
        var limit = options.Int("limit", 10);
        Directory.CreateDirectory(folder);
        await using var gateway = options.Connect();
        try
        {
            var saved = 0;
            await foreach (var item in gateway.SubscribeVideo(options.Target, VideoSource.Unspecified, stop))
            {
                if (item.Kind == StreamItemKind.Gap)
                {
                    Console.WriteLine($"[gap] {item.Gap!.MissedCount} frames missed ({item.Gap.Reason})");
                }
                else if (item.Kind == StreamItemKind.Ended)
                {
                    Console.WriteLine($"[ended] {item.Ended!.StopReason} {item.Ended.Description}");
                }
                else if (item.Message is { KeyFrame: true } frame)
                {
                    var path = Path.Combine(folder, $"{item.Sequence}.{Extension(frame.Format.Codec)}");
                    await File.WriteAllBytesAsync(path, frame.Data.Memory, stop);
                    Console.WriteLine($"saved {path} ({frame.Format.Codec} {frame.Format.Width}x{frame.Format.Height})");
                    if (++saved == limit)
                    {
                        return 0;
                    }
                }
            }
            return 0;
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (RpcException error)
        {
            Console.Error.WriteLine($"stopped: {error.StatusCode} {error.Status.Detail}");
            return 1;
        }
    }

    private static string Extension(VideoCodec codec) => codec switch
    {
        VideoCodec.Jpg => "jpg",
        VideoCodec.Png => "png",
        VideoCodec.H264 => "h264",
        _ => "bin",
    };
}
