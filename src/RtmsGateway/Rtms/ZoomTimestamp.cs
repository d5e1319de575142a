namespace RtmsGateway.Rtms;

/// <summary>
/// Zoom's timestamps (<c>event_ts</c>, keep-alive <c>timestamp</c>) are epoch milliseconds in every example, but one
/// documented response carries seconds (§3.4 STREAM_STATE_RESP, §5.7): read both.
/// </summary>
internal static class ZoomTimestamp
{
    /// <summary>Below this a value is taken as seconds (10¹¹ ms is March 1973; 10¹¹ s is the year 5138).</summary>
    private const long SecondsBelow = 100_000_000_000;

    /// <summary>Epoch milliseconds. A value in seconds stands for its whole second, so it maps to the second's last
    /// millisecond: a comparison "happened before" gives it the benefit of the doubt. 0 or less stays as it is (unknown).</summary>
    public static long ToMilliseconds(long value) => value is > 0 and < SecondsBelow ? (value * 1000) + 999 : value;
}
