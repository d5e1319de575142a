using System.Diagnostics;
using RtmsGateway.Observability;

namespace RtmsGateway.Sessions.Lifecycle;

/// <summary>
/// A session's start as this replica sees it: the <see cref="GatewayTracing.SessionStart"/> span (with
/// <see cref="GatewayTracing.Connect"/> inside it) under the webhook's or the takeover's span, and the
/// <c>rtms_gateway.time_to_first_media</c> histogram, from <paramref name="since"/> (the webhook's acceptance, or the
/// takeover claim) to Zoom's first media message. Its spans never become the ambient <see cref="Activity.Current"/>
/// of the session's long-running work. Thread-safe: the first media arrives on the receive path, the connection's
/// readiness on the session's loop.
/// </summary>
internal sealed class SessionStartTrace : IDisposable
{
    private readonly Activity? _start;
    private readonly Activity? _connect;
    private readonly string _kind;
    private readonly DateTimeOffset _since;
    private readonly TimeProvider _time;
    private readonly GatewayMetrics? _metrics;
    private int _connected;
    private int _ended;

    public SessionStartTrace(string streamId, ulong epoch, string kind, DateTimeOffset since, TimeProvider time, GatewayMetrics? metrics)
    {
        _kind = kind;
        _since = since;
        _time = time;
        _metrics = metrics;
        var ambient = Activity.Current;
        try
        {
            _start = GatewayTracing.Start(GatewayTracing.SessionStart, streamId);
            _start?.SetTag(GatewayTracing.EpochTag, (long)epoch);
            _start?.SetTag("rtms.start", kind);
            _connect = GatewayTracing.Start(GatewayTracing.Connect, streamId);
        }
        finally
        {
            Activity.Current = ambient;
        }
    }

    /// <summary>Every media socket is ready (the first time: later reconnects are not the start).</summary>
    public void Connected()
    {
        if (Interlocked.Exchange(ref _connected, 1) == 0)
        {
            StopQuietly(_connect);
        }
    }

    /// <summary>Zoom's first media message arrived.</summary>
    public void FirstMedia()
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }
        _metrics?.FirstMedia(_kind, _time.GetUtcNow() - _since);
        Connected();
        _start?.AddEvent(new ActivityEvent("first_media"));
        StopQuietly(_start);
    }

    /// <summary>The session ended here before any media: the spans end as errors.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }
        if (Interlocked.Exchange(ref _connected, 1) == 0)
        {
            _connect?.SetStatus(ActivityStatusCode.Error, "ended before every media socket was ready");
            StopQuietly(_connect);
        }
        _start?.SetStatus(ActivityStatusCode.Error, "ended before the first media message");
        StopQuietly(_start);
    }

    /// <summary>Stops a span without touching the caller's <see cref="Activity.Current"/> (Stop would set it to the
    /// span's predecessor, on whatever receive loop or session loop ends it).</summary>
    private static void StopQuietly(Activity? activity)
    {
        if (activity is null)
        {
            return;
        }
        var ambient = Activity.Current;
        activity.Stop();
        Activity.Current = ambient;
    }
}
