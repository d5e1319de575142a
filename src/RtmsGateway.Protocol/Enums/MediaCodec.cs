namespace RtmsGateway.Protocol;

/// <summary>MEDIA_PAYLOAD_TYPE (<c>codec</c>, §4.3).</summary>
/// <remarks>Open: values Zoom adds later are carried as their number and survive a round trip.</remarks>
public enum MediaCodec
{
    Undefined = 0,
    L16 = 1,
    G711 = 2,
    G722 = 3,
    Opus = 4,
    Jpg = 5,
    Png = 6,
    H264 = 7,
}
