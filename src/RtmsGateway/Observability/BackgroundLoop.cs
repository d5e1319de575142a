namespace RtmsGateway.Observability;

/// <summary>
/// Runs a background service's work one iteration after another until shutdown. An iteration that throws — whatever it
/// throws — is logged, counted (<c>rtms_gateway_background_failures_total{loop}</c>) and retried after the loop's delay, so
/// no background failure ever stops the host or leaves the loop dead.
/// </summary>
internal static partial class BackgroundLoop
{
    /// <param name="iteration">One pass; returns the delay before the next one.</param>
    /// <param name="retryDelay">The delay after a failed pass.</param>
    public static async Task RunAsync(
        string name, Func<CancellationToken, Task<TimeSpan>> iteration, TimeSpan retryDelay, TimeProvider time, ILogger logger, GatewayMetrics? metrics, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                delay = await iteration(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                metrics?.BackgroundFailure(name);
                LogIterationFailed(logger, ex, name, retryDelay.TotalMilliseconds, ex.Message);
                delay = retryDelay;
            }
            try
            {
                await Task.Delay(delay, time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = LogEventIds.BackgroundIterationFailed, Level = LogLevel.Warning, Message = "Background loop {Loop} failed; retrying in {DelayMs} ms: {Error}")]
    private static partial void LogIterationFailed(ILogger logger, Exception exception, string loop, double delayMs, string error);
}
