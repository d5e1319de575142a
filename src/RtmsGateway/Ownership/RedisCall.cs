using StackExchange.Redis;

namespace RtmsGateway.Ownership;

/// <summary>
/// Runs one Redis call so that it honours cancellation (StackExchange.Redis takes no tokens: the wait is abandoned, the
/// command may still complete) and so that every way Redis can fail — connection loss, <see cref="RedisTimeoutException"/>
/// (a <see cref="TimeoutException"/>, not a <see cref="RedisException"/>), server errors, a disposed multiplexer — surfaces
/// as one <see cref="OwnershipStoreUnavailableException"/>.
/// </summary>
public static class RedisCall
{
    public static bool IsFailure(Exception ex) => ex is RedisException or TimeoutException or ObjectDisposedException;

    public static async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await call().WaitAsync(ct);
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw new OwnershipStoreUnavailableException($"Redis unavailable: {ex.Message}", ex);
        }
    }

    public static Task RunAsync(Func<Task> call, CancellationToken ct) =>
        RunAsync(async () =>
        {
            await call();
            return true;
        }, ct);
}
