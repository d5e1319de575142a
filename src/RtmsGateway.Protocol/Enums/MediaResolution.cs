namespace RtmsGateway.Protocol;

/// <summary>MEDIA_RESOLUTION (<c>resolution</c>, §4.3).</summary>
/// <remarks>Open: values Zoom adds later are carried as their number and survive a round trip.</remarks>
public enum MediaResolution
{
    Undefined = 0,
    Sd = 1,
    Hd = 2,
    Fhd = 3,
    Qhd = 4,
}
