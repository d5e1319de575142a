using System.Text.Json.Serialization;

namespace RtmsGateway.Protocol;

/// <summary>
/// A media message, msg_type 14–18 (§4.6): <c>{"msg_type": N, "content": {...}}</c>. Audio, video and share carry
/// base64 <c>data</c> decoded into <see cref="Payload"/>; transcript and chat carry plain text in <see cref="Text"/>.
/// Dispose to return pooled payload memory.
/// </summary>
public sealed class MediaDataMessage : RtmsMessage, IDisposable
{
    public MediaDataMessage(MessageType msgType)
        : base(IsMediaType(msgType) ? msgType : throw new ArgumentOutOfRangeException(nameof(msgType), msgType, "Media messages are msg_type 14-18."))
    {
    }

    /// <summary>True for audio, video and share, whose data is base64 binary.</summary>
    [JsonIgnore]
    public bool IsBinary => MsgType is MessageType.MediaDataAudio or MessageType.MediaDataVideo or MessageType.MediaDataShare;

    /// <summary>0 for mixed audio.</summary>
    public RtmsUserId UserId { get; set; }

    public string? UserName { get; set; }

    /// <summary>Zoom's timestamp, epoch milliseconds.</summary>
    public long Timestamp { get; set; }

    /// <summary>Byte length Zoom declared for the decoded data (<c>length</c>, May 2026+), when sent.</summary>
    public int? DeclaredLength { get; set; }

    /// <summary>Contact Center channel (<c>channel_id</c>) as text, exactly as Zoom sent it: Zoom's tables and examples show
    /// a string (<c>"123abc"</c>), older text a number; both are read.</summary>
    public string? Channel { get; set; }

    /// <summary>Contact Center channel as a number, when <see cref="Channel"/> is a 32-bit integer; null otherwise.</summary>
    public int? ChannelId { get; set; }

    /// <summary>Decoded binary data (audio, video, share).</summary>
    public MediaPayload Payload { get; set; } = MediaPayload.Empty;

    /// <summary>Text data (transcript, chat). For chat whose <c>data</c> is structured, the message text it holds.</summary>
    public string? Text { get; set; }

    /// <summary>For chat: the shape <c>data</c> came in.</summary>
    public ChatDataShape? ChatShape { get; set; }

    /// <summary>For chat whose <c>data</c> is an object (or a JSON string holding one): its fields.</summary>
    public ChatContent? Chat { get; set; }

    /// <summary>Transcript utterance start (epoch ms).</summary>
    public long? StartTime { get; set; }

    /// <summary>Transcript utterance end (epoch ms).</summary>
    public long? EndTime { get; set; }

    /// <summary>Transcript language (<see cref="TranscriptLanguage"/>).</summary>
    public TranscriptLanguage? Language { get; set; }

    public DataMessageAttribute? Attribute { get; set; }

    /// <summary>For chat: the whole <c>content</c> object as received (chat fields are still evolving, §4.6).</summary>
    public string? ContentJson { get; set; }

    public static bool IsMediaType(MessageType type) => type is >= MessageType.MediaDataAudio and <= MessageType.MediaDataChat;

    /// <summary>The payload object this message refills on each frame, when it is one of <see cref="ReusableMediaMessages"/>.</summary>
    internal MediaPayload? ReusablePayload { get; init; }

    /// <summary>Back to the state of a new message of its type (its payload's bytes returned to the pool), for the next
    /// frame (<see cref="ReusableMediaMessages"/>). Every settable property is listed here; a test compares the result with
    /// a new message, property by property, so a property added later cannot be left over from the previous frame.</summary>
    internal void Reset()
    {
        Payload.Dispose();
        UnreadFields = null;
        UserId = default;
        UserName = null;
        Timestamp = 0;
        DeclaredLength = null;
        Channel = null;
        ChannelId = null;
        Payload = MediaPayload.Empty;
        Text = null;
        ChatShape = null;
        Chat = null;
        StartTime = null;
        EndTime = null;
        Language = null;
        Attribute = null;
        ContentJson = null;
    }

    public void Dispose() => Payload.Dispose();
}
