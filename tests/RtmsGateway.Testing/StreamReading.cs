using Grpc.Core;

namespace RtmsGateway.Testing;

/// <summary>Reads server streams with a bound on time, so a missing message fails the test instead of hanging it.</summary>
public static class StreamReading
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Reads until <paramref name="count"/> messages matched <paramref name="keep"/> (others are returned too).</summary>
    public static async Task<List<T>> ReadAsync<T>(IAsyncStreamReader<T> stream, int count, Func<T, bool>? keep = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var all = new List<T>();
        var kept = 0;
        try
        {
            while (kept < count && await stream.MoveNext(cts.Token))
            {
                all.Add(stream.Current);
                if (keep is null || keep(stream.Current))
                {
                    kept++;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException || (ex is RpcException rpc && rpc.StatusCode == StatusCode.Cancelled && cts.IsCancellationRequested))
        {
            throw new TimeoutException($"Read {kept} of {count} expected messages ({all.Count} in all) before the timeout.");
        }
        return all;
    }

    /// <summary>Reads until the stream completes.</summary>
    public static async Task<List<T>> ReadToEndAsync<T>(IAsyncStreamReader<T> stream, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var all = new List<T>();
        try
        {
            while (await stream.MoveNext(cts.Token))
            {
                all.Add(stream.Current);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException || (ex is RpcException rpc && rpc.StatusCode == StatusCode.Cancelled && cts.IsCancellationRequested))
        {
            throw new TimeoutException($"The stream did not complete in time ({all.Count} messages read).");
        }
        return all;
    }
}
