namespace RtmsGateway.Protocol;

/// <summary>AUDIO_SAMPLE_RATE (<c>sample_rate</c>, §4.3).</summary>
/// <remarks>Open: values Zoom adds later are carried as their number and survive a round trip.</remarks>
public enum AudioSampleRate
{
    Rate8K = 0,
    Rate16K = 1,
    Rate32K = 2,
    Rate48K = 3,
}
