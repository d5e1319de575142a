namespace RtmsGateway.Protocol;

/// <summary>AUDIO_CHANNEL (<c>channel</c>, §4.3).</summary>
/// <remarks>Open: values Zoom adds later are carried as their number and survive a round trip.</remarks>
public enum AudioChannel
{
    Mono = 1,
    Stereo = 2,
}
