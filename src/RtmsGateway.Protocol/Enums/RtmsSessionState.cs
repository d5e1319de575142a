namespace RtmsGateway.Protocol;

/// <summary>RTMS_SESSION_STATE of a session inside a stream (§3.7).</summary>
/// <remarks>Open: values Zoom adds later are carried as their number and survive a round trip.</remarks>
public enum RtmsSessionState
{
    Inactive = 0,
    Initialize = 1,
    Started = 2,
    Paused = 3,
    Resumed = 4,
    Stopped = 5,
}
