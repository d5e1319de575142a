using System.ComponentModel.DataAnnotations;
using RtmsGateway.Protocol;

namespace RtmsGateway.Configuration;

/// <summary>How the gateway talks to RTMS (section <c>Rtms</c>).</summary>
public sealed class RtmsClientOptions
{
    public const string Section = "Rtms";

    /// <summary>Media types requested from Zoom (MEDIA_DATA_TYPE flags, e.g. "Audio, Video, Transcript").</summary>
    public MediaDataType MediaTypes { get; set; } = MediaDataType.Audio | MediaDataType.Video | MediaDataType.Deskshare | MediaDataType.Transcript;

    /// <summary>Unified: one media socket for all types (Zoom's <c>all</c> URL). Split: one socket per type, reconnected independently.</summary>
    public MediaConnectionMode MediaConnectionMode { get; set; } = MediaConnectionMode.Unified;

    /// <summary>Audio: per-speaker streams (AUDIO_MULTI_STREAMS) keep speaker attribution; mixed is one stream.</summary>
    public bool AudioPerSpeaker { get; set; }

    /// <summary>Audio codec requested from Zoom: L16 (16-bit PCM, any rate), G711 (8 kHz mono), G722 (16 kHz mono) or
    /// Opus (48 kHz, mono or stereo; one 20 ms packet per frame). Zoom refuses other combinations, and so does validation.</summary>
    public MediaCodec AudioCodec { get; set; } = MediaCodec.L16;

    [Range(8000, 48000)]
    public int AudioSampleRateHz { get; set; } = 16000;

    [Range(1, 2)]
    public int AudioChannels { get; set; } = 1;

    /// <summary>Milliseconds of audio per packet: a multiple of 20, at most 1000.</summary>
    [Range(20, 1000)]
    public int AudioSendRateMs { get; set; } = 20;

    /// <summary>Camera frames per second: up to 5 are JPG images, above 5 H.264 (Zoom's rule).</summary>
    [Range(1, 30)]
    public int VideoFps { get; set; } = 5;

    public MediaResolution VideoResolution { get; set; } = MediaResolution.Hd;

    /// <summary>The active speaker's video, or one participant's video chosen by subscribers (<see cref="VideoMode"/>).</summary>
    public VideoMode VideoMode { get; set; } = VideoMode.ActiveSpeaker;

    /// <summary>Screen-share frames per second: 1 is a JPG image a second, above 1 H.264 (Zoom's rule for share).</summary>
    [Range(1, 30)]
    public int ScreenShareFps { get; set; } = 1;

    /// <summary>Transcript <c>src_language</c> (RTMS_TRANSCRIPT_LANGUAGE, a name such as <c>German</c> or its number 14):
    /// the language Zoom transcribes in for the first 30 s, or throughout when <see cref="TranscriptLanguageIdentification"/>
    /// is false (§4.3). Unset: not sent, Zoom uses English.</summary>
    public TranscriptLanguage? TranscriptSourceLanguage { get; set; }

    /// <summary>Transcript <c>enable_lid</c>: Zoom detects the spoken language after 30 s; false keeps
    /// <see cref="TranscriptSourceLanguage"/> throughout (§4.3). Unset: not sent, Zoom's default (true).</summary>
    public bool? TranscriptLanguageIdentification { get; set; }

    /// <summary>Deliver audio Zoom buffered before the handshake (up to 60 s).</summary>
    public bool BufferData { get; set; } = true;

    /// <summary>Event types subscribed after the signaling handshake (1 and 7 are always sent by Zoom); unset: 2-6, 8, 9.</summary>
    /// <remarks>No initializer: configuration binding appends to an existing array, so a configured list would add to the
    /// defaults instead of replacing them. Read <see cref="MeetingEvents"/>.</remarks>
    public int[]? EventTypes { get; set; }

    /// <summary>Event types subscribed for Contact Center voice streams (RTMS_ZCC_VOICE_EVENT_TYPE: answered, hold,
    /// transfer, conference, IVR …; their numbers overlap the meeting events', so they are a separate list); unset: 8-34, the
    /// documented range (§3.6).</summary>
    public int[]? ContactCenterEventTypes { get; set; }

    public IReadOnlyList<int> MeetingEvents => EventTypes ?? [2, 3, 4, 5, 6, 8, 9];

    public IReadOnlyList<int> ContactCenterEvents => ContactCenterEventTypes ?? [.. Enumerable.Range((int)ZccVoiceEventType.ConsumerAnswered, ZccVoiceEventCodes.Last - (int)ZccVoiceEventType.ConsumerAnswered + 1)];

    /// <summary>A socket that receives nothing (not even a keep-alive) for this long is considered dead.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(65);

    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First reconnect delay; doubles up to <see cref="ReconnectMaxDelay"/> and resets after a successful handshake.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromSeconds(3);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Stop reconnecting (and end the session) after failing this long without a successful handshake.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ReconnectGiveUpAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Fresh signaling handshakes tried after Zoom stops a stream with a reason that calls for a full restart
    /// (10-19, 24); 0 = never restart. Zoom refusing one (status 2) ends the stream at once.</summary>
    [Range(0, 10)]
    public int RestartAttemptsAfterStop { get; set; } = 3;

    /// <summary>Messages one stream's sockets may deliver per second (all types together; 100 speakers of per-speaker audio
    /// are 5 000/s). Beyond it the gateway reads that stream more slowly (TCP pushes back on the sender), so one flooding
    /// stream cannot take other meetings' share of the replica.</summary>
    [Range(10, 10_000_000)]
    public int MaxInboundMessagesPerSecond { get; set; } = 5000;

    /// <summary>Largest RTMS message accepted (reassembled across frames); larger ones are discarded and counted.</summary>
    [Range(64 * 1024, 256 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = RtmsMessageReader.DefaultMaxMessageBytes;
}
