using Grpc.Core;
using RtmsGateway.Api.V1;
using RtmsGateway.Simulator;

namespace RtmsGateway.Benchmarks.Harness;

/// <summary>Reads one gateway audio subscription, measuring send-stamp latency and any loss (gaps or sequence holes).</summary>
internal static class AudioSubscriber
{
    public static async Task RunAsync(RtmsGatewayService.RtmsGatewayServiceClient client, SubscriptionTarget target, LatencySamples latency, StreamTally tally, Action<SubscribeAudioResponse>? observe, CancellationToken ct)
    {
        try
        {
            using var call = client.SubscribeAudio(new SubscribeAudioRequest { Target = target }, cancellationToken: ct);
            ulong last = 0;
            await foreach (var response in call.ResponseStream.ReadAllAsync(ct))
            {
                observe?.Invoke(response);
                if (response.Gap is { } gap)
                {
                    tally.Gap(gap.MissedCount);
                    last = gap.LastMissingSequence;
                    continue;
                }
                if (response.Frame is not { } frame)
                {
                    continue;
                }
                if (SendStamp.TryRead(frame.Data.Span, out var sentAt))
                {
                    latency.Add((DateTimeOffset.UtcNow - sentAt).TotalMilliseconds);
                }
                tally.Message();
                if (last != 0 && frame.Header.Sequence > last + 1 && Sessions.Sequences.EpochOf(last) == Sessions.Sequences.EpochOf(frame.Header.Sequence))
                {
                    tally.Hole(frame.Header.Sequence - last - 1);
                }
                last = frame.Header.Sequence;
            }
        }
        catch (RpcException)
        {
            // Cancelled by the run, or the serving replica died (the cluster scenario kills it on purpose).
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Reads a reliable stream (transcripts or events) and counts what arrives and what was announced lost.</summary>
    public static async Task DrainAsync<T>(AsyncServerStreamingCall<T> call, Func<T, Gap?> gapOf, StreamTally tally, CancellationToken ct)
    {
        try
        {
            await foreach (var response in call.ResponseStream.ReadAllAsync(ct))
            {
                if (gapOf(response) is { } gap)
                {
                    tally.Gap(gap.MissedCount);
                }
                else
                {
                    tally.Message();
                }
            }
        }
        catch (RpcException) when (ct.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            call.Dispose();
        }
    }
}
