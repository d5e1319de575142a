namespace RtmsGateway.Protocol;

/// <summary>RTMS_DATA_MESSAGE_ATTRIBUTE of transcript and chat messages (§4.3).</summary>
/// <remarks>Open: values Zoom adds later are carried as their number and survive a round trip.</remarks>
public enum DataMessageAttribute
{
    None = 0,
    New = 1,
    Update = 2,
    Delete = 3,
}
