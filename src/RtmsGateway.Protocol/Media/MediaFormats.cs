namespace RtmsGateway.Protocol;

/// <summary>Converts RTMS parameter enums to plain numbers.</summary>
public static class MediaFormats
{
    public static int SampleRateHz(AudioSampleRate rate) => rate switch
    {
        AudioSampleRate.Rate8K => 8000,
        AudioSampleRate.Rate16K => 16000,
        AudioSampleRate.Rate32K => 32000,
        AudioSampleRate.Rate48K => 48000,
        _ => 0,
    };

    public static AudioSampleRate? FromHz(int hz) => hz switch
    {
        8000 => AudioSampleRate.Rate8K,
        16000 => AudioSampleRate.Rate16K,
        32000 => AudioSampleRate.Rate32K,
        48000 => AudioSampleRate.Rate48K,
        _ => null,
    };

    /// <summary>Width and height of a resolution (SD is 854×480 or 640×360 per Zoom; 640×360 is used here).</summary>
    public static (int Width, int Height) Dimensions(MediaResolution resolution) => resolution switch
    {
        MediaResolution.Sd => (640, 360),
        MediaResolution.Hd => (1280, 720),
        MediaResolution.Fhd => (1920, 1080),
        MediaResolution.Qhd => (2560, 1440),
        _ => (0, 0),
    };
}
