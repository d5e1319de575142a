namespace RtmsGateway.Protocol.Tests;

/// <summary>The valid media parameter combinations of §4.3 and Zoom's defaults.</summary>
public sealed class MediaParamsTests
{
    [Theory]
    [InlineData(MediaContentType.RawAudio, MediaCodec.L16, AudioSampleRate.Rate8K, AudioChannel.Mono, 20)]
    [InlineData(MediaContentType.RawAudio, MediaCodec.L16, AudioSampleRate.Rate48K, AudioChannel.Stereo, 1000)]
    [InlineData(MediaContentType.RawAudio, MediaCodec.Opus, AudioSampleRate.Rate48K, AudioChannel.Stereo, 20)]
    [InlineData(MediaContentType.Rtp, MediaCodec.Opus, AudioSampleRate.Rate48K, AudioChannel.Mono, 20)]
    [InlineData(MediaContentType.Rtp, MediaCodec.G711, AudioSampleRate.Rate8K, AudioChannel.Mono, 20)]
    [InlineData(MediaContentType.RawAudio, MediaCodec.G722, AudioSampleRate.Rate16K, AudioChannel.Mono, 20)]
    [InlineData(MediaContentType.Rtp, MediaCodec.L16, AudioSampleRate.Rate16K, AudioChannel.Mono, 100)] // the samples' deprecated alias
    public void Valid_audio_combinations_are_accepted(MediaContentType type, MediaCodec codec, AudioSampleRate rate, AudioChannel channel, int sendRate) =>
        Assert.Equal(StatusCode.Ok, MediaParamsValidator.ValidateAudio(new AudioParams { ContentType = type, Codec = codec, SampleRate = rate, Channel = channel, SendRate = sendRate }));

    [Theory]
    [InlineData(MediaCodec.Opus, AudioSampleRate.Rate16K, AudioChannel.Mono, 20, StatusCode.InvalidMediaAudioSampleRate)]
    [InlineData(MediaCodec.G711, AudioSampleRate.Rate8K, AudioChannel.Stereo, 20, StatusCode.InvalidMediaAudioChannel)]
    [InlineData(MediaCodec.G722, AudioSampleRate.Rate8K, AudioChannel.Mono, 20, StatusCode.InvalidMediaAudioSampleRate)]
    [InlineData(MediaCodec.L16, AudioSampleRate.Rate16K, AudioChannel.Mono, 30, StatusCode.InvalidMediaAudioSendRate)]
    [InlineData(MediaCodec.Opus, AudioSampleRate.Rate48K, AudioChannel.Mono, 40, StatusCode.InvalidMediaAudioSendRate)]
    [InlineData(MediaCodec.Jpg, AudioSampleRate.Rate16K, AudioChannel.Mono, 20, StatusCode.InvalidMediaAudioCodec)]
    [InlineData(MediaCodec.L16, (AudioSampleRate)9, AudioChannel.Mono, 20, StatusCode.InvalidMediaAudioSampleRate)]
    [InlineData(MediaCodec.L16, AudioSampleRate.Rate16K, (AudioChannel)3, 20, StatusCode.InvalidMediaAudioChannel)]
    public void Invalid_audio_gets_its_specific_status(MediaCodec codec, AudioSampleRate rate, AudioChannel channel, int sendRate, StatusCode expected) =>
        Assert.Equal(expected, MediaParamsValidator.ValidateAudio(new AudioParams { ContentType = MediaContentType.RawAudio, Codec = codec, SampleRate = rate, Channel = channel, SendRate = sendRate }));

    [Fact]
    public void Other_media_types_are_checked()
    {
        Assert.Equal(StatusCode.InvalidMediaAudioContentType, MediaParamsValidator.ValidateAudio(new AudioParams { ContentType = MediaContentType.Text }));
        Assert.Equal(StatusCode.InvalidMediaAudioDataOpt, MediaParamsValidator.ValidateAudio(new AudioParams { DataOpt = MediaDataOption.VideoSingleActiveStream }));
        Assert.Equal(StatusCode.InvalidMediaVideoFps, MediaParamsValidator.ValidateVideo(new VideoParams { Codec = MediaCodec.Jpg, Fps = 10 }));
        Assert.Equal(StatusCode.Ok, MediaParamsValidator.ValidateVideo(new VideoParams { Codec = MediaCodec.H264, Fps = 30, DataOpt = MediaDataOption.VideoSingleIndividualStream }));
        Assert.Equal(StatusCode.InvalidMediaVideoResolution, MediaParamsValidator.ValidateVideo(new VideoParams { Resolution = (MediaResolution)7 }));
        Assert.Equal(StatusCode.InvalidMediaVideoCodec, MediaParamsValidator.ValidateVideo(new VideoParams { Codec = MediaCodec.Opus }));
        Assert.Equal(StatusCode.InvalidMediaDeskshareCodec, MediaParamsValidator.ValidateDeskshare(new DeskshareParams { Codec = MediaCodec.L16 }));
        Assert.Equal(StatusCode.InvalidMediaTranscriptContentType, MediaParamsValidator.ValidateTranscript(new TranscriptParams { ContentType = MediaContentType.RawAudio }));
        Assert.Equal(StatusCode.InvalidMediaTranscriptSourceLanguage, MediaParamsValidator.ValidateTranscript(new TranscriptParams { SourceLanguage = (TranscriptLanguage)99 }));
        Assert.Equal(StatusCode.InvalidMediaChatContentType, MediaParamsValidator.Validate(MediaDataType.Chat, new MediaParams { Chat = new ChatParams { ContentType = MediaContentType.RawVideo } }));
        Assert.Equal(StatusCode.MediaTypeInvalidValue, MediaParamsValidator.Validate(MediaDataType.None, null));
        Assert.Equal(StatusCode.MediaTypeInvalidValue, MediaParamsValidator.Validate((MediaDataType)64, null));
        Assert.Equal(StatusCode.Ok, MediaParamsValidator.Validate(MediaDataType.All, null));
    }

    [Fact]
    public void Defaults_are_zooms()
    {
        var all = MediaParamsDefaults.Effective(MediaDataType.All, null);
        Assert.Equal((MediaContentType.RawAudio, MediaCodec.L16, AudioSampleRate.Rate16K, AudioChannel.Mono, MediaDataOption.AudioMixedStream, 20),
            (all.Audio!.ContentType!.Value, all.Audio.Codec!.Value, all.Audio.SampleRate!.Value, all.Audio.Channel!.Value, all.Audio.DataOpt!.Value, all.Audio.SendRate!.Value));
        Assert.Equal((MediaCodec.Jpg, MediaResolution.Hd, 5, MediaDataOption.VideoSingleActiveStream),
            (all.Video!.Codec!.Value, all.Video.Resolution!.Value, all.Video.Fps!.Value, all.Video.DataOpt!.Value));
        Assert.Equal((MediaCodec.Jpg, MediaResolution.Fhd, 1), (all.Deskshare!.Codec!.Value, all.Deskshare.Resolution!.Value, all.Deskshare.Fps!.Value));
        Assert.Equal((TranscriptLanguage.English, true), (all.Transcript!.SourceLanguage!.Value, all.Transcript.EnableLanguageIdentification!.Value));
        Assert.NotNull(all.Chat);

        var video = MediaParamsDefaults.Video(new VideoParams { Fps = 25 });
        Assert.Equal((MediaCodec.Jpg, 5), (video.Codec!.Value, video.Fps!.Value));
        Assert.Equal(1000, MediaParamsDefaults.Audio(new AudioParams { SendRate = 5000 }).SendRate);
        var audioOnly = MediaParamsDefaults.Effective(MediaDataType.Audio | MediaDataType.Transcript, null);
        Assert.Null(audioOnly.Video);
        Assert.NotNull(audioOnly.Transcript);
        Assert.Equal(TranscriptLanguage.German, MediaParamsDefaults.Transcript(new TranscriptParams { Language = TranscriptLanguage.German }).SourceLanguage);
    }

    [Theory]
    [InlineData(MediaDataType.Audio, StatusCode.MediaTypeAudioNotSupport)]
    [InlineData(MediaDataType.Video, StatusCode.MediaTypeVideoNotSupport)]
    [InlineData(MediaDataType.Deskshare, StatusCode.MediaTypeDeskshareNotSupport)]
    [InlineData(MediaDataType.Transcript, StatusCode.MediaTypeTranscriptNotSupport)]
    [InlineData(MediaDataType.Chat, StatusCode.MediaTypeChatNotSupport)]
    public void A_scope_refusal_names_its_media_type(MediaDataType type, StatusCode status)
    {
        Assert.Equal(status, MediaTypeRefusals.NotSupported(type));
        Assert.Equal(type, MediaTypeRefusals.Concerning(status));
    }

    [Theory]
    [InlineData(StatusCode.InvalidMediaAudioCodec, MediaDataType.Audio)]
    [InlineData(StatusCode.InvalidMediaVideoFps, MediaDataType.Video)]
    [InlineData(StatusCode.InvalidMediaDeskshareFps, MediaDataType.Deskshare)]
    [InlineData(StatusCode.InvalidMediaTranscriptSourceLanguage, MediaDataType.Transcript)]
    [InlineData(StatusCode.InvalidMediaChatContentType, MediaDataType.Chat)]
    [InlineData(StatusCode.InvalidSignature, null)]
    [InlineData(StatusCode.InvalidRtmsStreamId, null)]
    [InlineData(StatusCode.DuplicateMediaDataConnection, null)]
    public void A_parameter_refusal_names_its_media_type_and_a_connection_refusal_none(StatusCode status, MediaDataType? type) =>
        Assert.Equal(type, MediaTypeRefusals.Concerning(status));
}
