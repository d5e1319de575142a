namespace RtmsGateway.Protocol;

/// <summary>MEDIA_CONTENT_TYPE (<c>content_type</c>, §4.3).</summary>
/// <remarks>Open: values Zoom adds later are carried as their number and survive a round trip.</remarks>
public enum MediaContentType
{
    Undefined = 0,
    Rtp = 1,
    RawAudio = 2,
    RawVideo = 3,
    FileStream = 4,
    Text = 5,
}
