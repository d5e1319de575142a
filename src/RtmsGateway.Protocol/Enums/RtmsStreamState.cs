namespace RtmsGateway.Protocol;

/// <summary>RTMS_STREAM_STATE (§3.7).</summary>
/// <remarks>Open: values Zoom adds later are carried as their number and survive a round trip.</remarks>
public enum RtmsStreamState
{
    Inactive = 0,
    Active = 1,
    Interrupted = 2,
    Terminating = 3,
    Terminated = 4,
    Paused = 5,
    Resumed = 6,
}
