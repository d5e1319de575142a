namespace RtmsGateway.Protocol;

/// <summary>
/// Checks a data handshake's <c>media_type</c> and <c>media_params</c> against the valid values and combinations of §4.3 and
/// returns the status code Zoom answers with. Where sources disagree (§8) every documented variant is accepted: RTP audio is
/// taken as the deprecated alias of raw audio, stereo is allowed for L16 and Opus, <c>data_opt</c> 5 (gallery)
/// for video. Screen share follows DOC-ER, not the SDK's validator: JPG/PNG at most 1 fps (H.264 above, up to 30), status 35.
/// </summary>
public static class MediaParamsValidator
{
    private const MediaDataType KnownTypes =
        MediaDataType.Audio | MediaDataType.Video | MediaDataType.Deskshare | MediaDataType.Transcript | MediaDataType.Chat | MediaDataType.All;

    public static StatusCode Validate(MediaDataType mediaType, MediaParams? mediaParams)
    {
        if (mediaType == MediaDataType.None || (mediaType & ~KnownTypes) != 0)
        {
            return StatusCode.MediaTypeInvalidValue;
        }
        if (mediaParams is null)
        {
            return StatusCode.Ok;
        }
        var status = mediaParams.Audio is { } audio ? ValidateAudio(audio) : StatusCode.Ok;
        if (status == StatusCode.Ok && mediaParams.Video is { } video)
        {
            status = ValidateVideo(video);
        }
        if (status == StatusCode.Ok && mediaParams.Deskshare is { } share)
        {
            status = ValidateDeskshare(share);
        }
        if (status == StatusCode.Ok && mediaParams.Transcript is { } transcript)
        {
            status = ValidateTranscript(transcript);
        }
        if (status == StatusCode.Ok && mediaParams.Chat is { ContentType: { } chatType } && chatType != MediaContentType.Text)
        {
            status = StatusCode.InvalidMediaChatContentType;
        }
        return status;
    }

    public static StatusCode ValidateAudio(AudioParams p)
    {
        if (p.ContentType is { } ct && ct is not (MediaContentType.Rtp or MediaContentType.RawAudio))
        {
            return StatusCode.InvalidMediaAudioContentType;
        }
        if (p.Codec is { } codec && codec is not (MediaCodec.L16 or MediaCodec.G711 or MediaCodec.G722 or MediaCodec.Opus))
        {
            return StatusCode.InvalidMediaAudioCodec;
        }
        if (p.SampleRate is { } rate && !Enum.IsDefined(rate))
        {
            return StatusCode.InvalidMediaAudioSampleRate;
        }
        if (p.Channel is { } channel && channel is not (AudioChannel.Mono or AudioChannel.Stereo))
        {
            return StatusCode.InvalidMediaAudioChannel;
        }
        if (p.DataOpt is { } opt && opt is not (MediaDataOption.AudioMixedStream or MediaDataOption.AudioMultiStreams))
        {
            return StatusCode.InvalidMediaAudioDataOpt;
        }
        if (p.SendRate is { } sendRate && (sendRate <= 0 || sendRate % 20 != 0))
        {
            return StatusCode.InvalidMediaAudioSendRate;
        }
        var effective = MediaParamsDefaults.Audio(p);
        return effective.Codec switch
        {
            MediaCodec.Opus when effective.SampleRate != AudioSampleRate.Rate48K => StatusCode.InvalidMediaAudioSampleRate,
            MediaCodec.G711 when effective.SampleRate != AudioSampleRate.Rate8K => StatusCode.InvalidMediaAudioSampleRate,
            MediaCodec.G722 when effective.SampleRate != AudioSampleRate.Rate16K => StatusCode.InvalidMediaAudioSampleRate,
            MediaCodec.G711 or MediaCodec.G722 when effective.Channel != AudioChannel.Mono => StatusCode.InvalidMediaAudioChannel,
            MediaCodec.G711 or MediaCodec.G722 or MediaCodec.Opus when effective.SendRate != 20 => StatusCode.InvalidMediaAudioSendRate,
            _ => StatusCode.Ok,
        };
    }

    public static StatusCode ValidateVideo(VideoParams p)
    {
        if (p.ContentType is { } ct && ct != MediaContentType.RawVideo)
        {
            return StatusCode.InvalidMediaVideoContentType;
        }
        if (p.Codec is { } codec && codec is not (MediaCodec.Jpg or MediaCodec.Png or MediaCodec.H264))
        {
            return StatusCode.InvalidMediaVideoCodec;
        }
        if (p.Resolution is { } res && res is < MediaResolution.Sd or > MediaResolution.Qhd)
        {
            return StatusCode.InvalidMediaVideoResolution;
        }
        if (p.DataOpt is { } opt && opt is not (MediaDataOption.VideoSingleActiveStream or MediaDataOption.VideoSingleIndividualStream or MediaDataOption.VideoMixedGalleryView))
        {
            return StatusCode.InvalidMediaVideoDataOpt;
        }
        if (p.Fps is { } fps && (fps < 1 || fps > 30 || (p.Codec is MediaCodec.Jpg or MediaCodec.Png && fps > 5)))
        {
            return StatusCode.InvalidMediaVideoFps;
        }
        return StatusCode.Ok;
    }

    public static StatusCode ValidateDeskshare(DeskshareParams p)
    {
        if (p.ContentType is { } ct && ct != MediaContentType.RawVideo)
        {
            return StatusCode.InvalidMediaDeskshareContentType;
        }
        if (p.Codec is { } codec && codec is not (MediaCodec.Jpg or MediaCodec.Png or MediaCodec.H264))
        {
            return StatusCode.InvalidMediaDeskshareCodec;
        }
        if (p.Resolution is { } res && res is < MediaResolution.Sd or > MediaResolution.Qhd)
        {
            return StatusCode.InvalidMediaDeskshareResolution;
        }
        if (p.Fps is { } fps && (fps < 1 || fps > 30 || (p.Codec is MediaCodec.Jpg or MediaCodec.Png && fps > 1)))
        {
            return StatusCode.InvalidMediaDeskshareFps;
        }
        return StatusCode.Ok;
    }

    public static StatusCode ValidateTranscript(TranscriptParams p)
    {
        if (p.ContentType is { } ct && ct != MediaContentType.Text)
        {
            return StatusCode.InvalidMediaTranscriptContentType;
        }
        if (p.EffectiveSourceLanguage is { } lang && (lang < TranscriptLanguage.None || lang > TranscriptLanguage.Vietnamese))
        {
            return StatusCode.InvalidMediaTranscriptSourceLanguage;
        }
        return StatusCode.Ok;
    }
}
