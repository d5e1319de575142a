using RtmsGateway.Protocol;

namespace RtmsGateway.Configuration;

/// <summary>Builds the <c>media_params</c> of the data handshake from <see cref="RtmsClientOptions"/>.</summary>
public static class RtmsMediaRequest
{
    /// <remarks>Only the sub-objects of <paramref name="types"/> are sent.</remarks>
    public static MediaParams Build(RtmsClientOptions options, MediaDataType types)
    {
        bool Wants(MediaDataType t) => types.HasFlag(MediaDataType.All) || types.HasFlag(t);
        var video = new VideoParams
        {
            ContentType = MediaContentType.RawVideo,
            Codec = options.VideoFps > 5 ? MediaCodec.H264 : MediaCodec.Jpg,
            Resolution = options.VideoResolution,
            DataOpt = options.VideoMode == VideoMode.Individual ? MediaDataOption.VideoSingleIndividualStream : MediaDataOption.VideoSingleActiveStream,
            Fps = options.VideoFps,
        };
        return new MediaParams
        {
            Audio = !Wants(MediaDataType.Audio) ? null : new AudioParams
            {
                ContentType = MediaContentType.RawAudio,
                Codec = options.AudioCodec,
                SampleRate = MediaFormats.FromHz(options.AudioSampleRateHz) ?? AudioSampleRate.Rate16K,
                Channel = options.AudioChannels == 2 ? AudioChannel.Stereo : AudioChannel.Mono,
                DataOpt = options.AudioPerSpeaker ? MediaDataOption.AudioMultiStreams : MediaDataOption.AudioMixedStream,
                SendRate = options.AudioSendRateMs,
            },
            Video = Wants(MediaDataType.Video) ? video : null,
            Deskshare = !Wants(MediaDataType.Deskshare) ? null : new DeskshareParams
            {
                ContentType = MediaContentType.RawVideo,
                Codec = options.ScreenShareFps > 1 ? MediaCodec.H264 : MediaCodec.Jpg,
                Resolution = MediaResolution.Fhd,
                Fps = options.ScreenShareFps,
            },
            Transcript = !Wants(MediaDataType.Transcript) ? null : new TranscriptParams
            {
                ContentType = MediaContentType.Text,
                SourceLanguage = options.TranscriptSourceLanguage,
                EnableLanguageIdentification = options.TranscriptLanguageIdentification,
            },
            Chat = !Wants(MediaDataType.Chat) ? null : new ChatParams { ContentType = MediaContentType.Text },
        };
    }
}
