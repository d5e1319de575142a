namespace RtmsGateway.Protocol;

/// <summary>
/// Zoom's defaults for unset media parameters (DOC-MP, §4.3): raw L16 16 kHz mono mixed audio every 20 ms; JPG video at
/// 5 fps HD of the active speaker (JPG at 5 fps also when fps &gt; 5 is asked without a codec); JPG screen share at 1 fps FHD;
/// English transcripts with language identification on.
/// </summary>
public static class MediaParamsDefaults
{
    public const int MaxSendRateMs = 1000;

    /// <summary>The effective parameters for the media types in <paramref name="mediaType"/>, as Zoom echoes them.</summary>
    public static MediaParams Effective(MediaDataType mediaType, MediaParams? requested)
    {
        var all = mediaType.HasFlag(MediaDataType.All);
        var result = new MediaParams();
        if (all || mediaType.HasFlag(MediaDataType.Audio))
        {
            result.Audio = Audio(requested?.Audio);
        }
        if (all || mediaType.HasFlag(MediaDataType.Video))
        {
            result.Video = Video(requested?.Video);
        }
        if (all || mediaType.HasFlag(MediaDataType.Deskshare))
        {
            result.Deskshare = Deskshare(requested?.Deskshare);
        }
        if (all || mediaType.HasFlag(MediaDataType.Transcript))
        {
            result.Transcript = Transcript(requested?.Transcript);
        }
        if (all || mediaType.HasFlag(MediaDataType.Chat))
        {
            result.Chat = new ChatParams { ContentType = MediaContentType.Text };
        }
        return result;
    }

    public static AudioParams Audio(AudioParams? p) => new()
    {
        // RTP (1) is a deprecated alias for raw audio in current samples; Zoom echoes what it delivers.
        ContentType = p?.ContentType ?? MediaContentType.RawAudio,
        SampleRate = p?.SampleRate ?? (p?.Codec == MediaCodec.Opus ? AudioSampleRate.Rate48K : AudioSampleRate.Rate16K),
        Channel = p?.Channel ?? AudioChannel.Mono,
        Codec = p?.Codec ?? MediaCodec.L16,
        DataOpt = p?.DataOpt ?? MediaDataOption.AudioMixedStream,
        SendRate = Math.Min(p?.SendRate ?? 20, MaxSendRateMs),
    };

    public static VideoParams Video(VideoParams? p)
    {
        var fps = p?.Fps ?? 5;
        var codec = p?.Codec;
        if (codec is null)
        {
            codec = MediaCodec.Jpg;
            fps = Math.Min(fps, 5);
        }
        return new VideoParams
        {
            ContentType = p?.ContentType ?? MediaContentType.RawVideo,
            Codec = codec,
            Resolution = p?.Resolution ?? MediaResolution.Hd,
            DataOpt = p?.DataOpt ?? MediaDataOption.VideoSingleActiveStream,
            Fps = fps,
        };
    }

    public static DeskshareParams Deskshare(DeskshareParams? p)
    {
        var fps = p?.Fps ?? 1;
        var codec = p?.Codec;
        if (codec is null)
        {
            codec = MediaCodec.Jpg;
            fps = Math.Min(fps, 1);
        }
        return new DeskshareParams
        {
            ContentType = p?.ContentType ?? MediaContentType.RawVideo,
            Codec = codec,
            Resolution = p?.Resolution ?? MediaResolution.Fhd,
            Fps = fps,
        };
    }

    public static TranscriptParams Transcript(TranscriptParams? p) => new()
    {
        ContentType = p?.ContentType ?? MediaContentType.Text,
        SourceLanguage = p?.EffectiveSourceLanguage ?? TranscriptLanguage.English,
        EnableLanguageIdentification = p?.EnableLanguageIdentification ?? true,
    };
}
