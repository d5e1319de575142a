namespace RtmsGateway.Simulator;

/// <summary>Which a client hears first when Zoom ends a stream (sources disagree, so a gateway must handle both).</summary>
public enum StopOrder
{
    /// <summary>STREAM_STATE_UPDATE TERMINATED (and SESSION_STATE_UPDATE STOPPED) on signaling, sockets closed, then the
    /// <c>rtms_stopped</c> webhook.</summary>
    SignalingFirst,

    /// <summary>The <c>rtms_stopped</c> webhook is posted and answered while signaling is still live; then TERMINATED and
    /// the sockets close.</summary>
    WebhookFirst,
}
