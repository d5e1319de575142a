namespace RtmsGateway.Observability;

/// <summary>
/// Runs a background service's work one iteration after another until shutdown. An iteration that throws — whatever it
/// throws — is counted (<c>rtms_gateway_background_failures_total{loop}</c>) and retried after the loop's delay, so no
/// background failure ever stops the host or leaves the loop dead. A run of failures (Redis down for minutes) is logged
/// when it begins, once a minute while it lasts, and when the loop recovers — not on every retry.
/// </summary>
internal static partial class BackgroundLoop
{
    /// <param name="iteration">One pass; returns the delay before the next one.</param>
    /// <param name="retryDelay">The delay after a failed pass.</param>
    public static async Task RunAsync(
        string name, Func<CancellationToken, Task<TimeSpan>> iteration, TimeSpan retryDelay, TimeProvider time, ILogger logger, GatewayMetrics? metrics, CancellationToken ct)
    {
        var throttle = new LogThrottle(time, TimeSpan.FromMinutes(1));
        long failures = 0;
        while (!ct.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                delay = await iteration(ct);
                if (failures > 0)
                {
                    LogRecovered(logger, name, failures);
                    failures = 0;
                    throttle = new LogThrottle(time, TimeSpan.FromMinutes(1));
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                metrics?.BackgroundFailure(name);
                failures++;
                if (throttle.ShouldLog(out _))
                {
                    // The store being unreachable is expected weather, not a defect: its message says all; anything else
                    // is logged with its stack.
                    LogIterationFailed(logger, ex is IExpectedFailure ? null : ex, name, retryDelay.TotalMilliseconds, failures, ex.Message);
                }
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

    [LoggerMessage(EventId = LogEventIds.BackgroundIterationFailed, Level = LogLevel.Warning, Message = "Background loop {Loop} failed ({Failures} in a row); retrying every {DelayMs} ms: {Error}")]
    private static partial void LogIterationFailed(ILogger logger, Exception? exception, string loop, double delayMs, long failures, string error);

    [LoggerMessage(EventId = LogEventIds.BackgroundRecovered, Level = LogLevel.Information, Message = "Background loop {Loop} works again after {Failures} failed passes")]
    private static partial void LogRecovered(ILogger logger, string loop, long failures);
}
