namespace RtmsGateway.Protocol;

/// <summary>MEDIA_DATA_OPTION (<c>data_opt</c>, §4.3). 4 is the individual stream (older docs named it mixed speaker view).</summary>
/// <remarks>Open: values Zoom adds later are carried as their number and survive a round trip.</remarks>
public enum MediaDataOption
{
    Undefined = 0,
    AudioMixedStream = 1,
    AudioMultiStreams = 2,
    VideoSingleActiveStream = 3,
    VideoSingleIndividualStream = 4,
    VideoMixedGalleryView = 5,
}
