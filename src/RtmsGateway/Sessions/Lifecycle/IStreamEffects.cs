using RtmsGateway.Protocol;
using RtmsGateway.Rtms;

namespace RtmsGateway.Sessions.Lifecycle;

/// <summary>
/// What a <see cref="StreamStateMachine"/> asks to happen. Implemented by <see cref="StreamSession"/> (real sockets and timers
/// that post their outcome back as <see cref="StreamEvent"/>s) and by tests (a recorder). Calls return at once.
/// </summary>
internal interface IStreamEffects
{
    void DialSignaling(int attempt, Uri url);

    /// <summary>Closes the attempt's signaling and media sockets (once; later calls for it do nothing). With
    /// <paramref name="endStream"/> Zoom is first sent STREAM_CLOSE_REQ (the gateway itself ends the stream).</summary>
    void CloseSignaling(int attempt, bool endStream);

    void OpenMedia(int attempt, int link, int generation, MediaLinkPlan plan);

    /// <summary>Cuts one media socket if nothing (media or keep-alive) arrived on it since <paramref name="since"/>
    /// (<see cref="TimeProvider.GetTimestamp"/>): Zoom reported a media connection interrupted, and a socket Zoom lost without
    /// a close stays silent. Its end comes back as <see cref="StreamEvent.MediaEnded"/>; a socket that heard from Zoom is
    /// left alone.</summary>
    void InterruptMediaIfSilent(int attempt, int link, long since, string reason);

    /// <summary><paramref name="mediaType"/> is given up for this connection (it is never forwarded): say so, loudly.</summary>
    void ReportMediaUnavailable(MediaDataType mediaType, string detail);

    void StartTimer(StreamTimer timer, int generation, TimeSpan delay);

    void ReportUpstream(UpstreamState state, string detail);

    /// <summary>An <c>rtms_interrupted</c> webhook was judged to be about an earlier connection (Zoom's <c>event_ts</c>
    /// <paramref name="eventTimestampMs"/> before <paramref name="connectionStartMs"/>, both on Zoom's clock) and ignored.</summary>
    void IgnoreStaleInterruption(long eventTimestampMs, long connectionStartMs);

    /// <summary>A reconnect of <paramref name="socket"/> (<c>signaling</c> or <c>media</c>) begins.</summary>
    void CountReconnect(string socket);
}
