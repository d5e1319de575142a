namespace RtmsGateway.Protocol;

/// <summary>
/// How a data-handshake refusal relates to one media type (§3.5): 9-13 say the app's scopes do not include the type; the
/// invalid-parameter codes 18-39, 43, 46 and 47 each belong to one type's <c>media_params</c>. The rest (signature, stream,
/// message errors) concern the whole connection.
/// </summary>
public static class MediaTypeRefusals
{
    /// <summary>The "not supported" status Zoom answers when the app's scopes do not include <paramref name="type"/> (one type).</summary>
    public static StatusCode NotSupported(MediaDataType type) => type switch
    {
        MediaDataType.Audio => StatusCode.MediaTypeAudioNotSupport,
        MediaDataType.Video => StatusCode.MediaTypeVideoNotSupport,
        MediaDataType.Deskshare => StatusCode.MediaTypeDeskshareNotSupport,
        MediaDataType.Transcript => StatusCode.MediaTypeTranscriptNotSupport,
        MediaDataType.Chat => StatusCode.MediaTypeChatNotSupport,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "one of audio, video, deskshare, transcript, chat"),
    };

    /// <summary>The one media type a refusal is about, or null when it concerns the whole connection.</summary>
    public static MediaDataType? Concerning(StatusCode status) => (int)status switch
    {
        9 or (>= 18 and <= 24) => MediaDataType.Audio,
        10 or (>= 25 and <= 30) => MediaDataType.Video,
        11 or (>= 31 and <= 35) => MediaDataType.Deskshare,
        12 or 36 or 37 or 43 or 46 => MediaDataType.Transcript,
        13 or 38 or 39 or 47 => MediaDataType.Chat,
        _ => null,
    };
}
