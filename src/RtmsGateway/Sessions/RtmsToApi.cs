using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RtmsGateway.Api.V1;
using RtmsGateway.Protocol;
using RtmsGateway.Protocol.Serialization;

namespace RtmsGateway.Sessions;

/// <summary>
/// The RTMS-to-API mapping: builds the public API's messages from RTMS messages. Pure functions of their inputs (the
/// sequence and receive time are given), so a hub only decides where a message goes and this decides what it says.
/// </summary>
internal static class RtmsToApi
{
    public static MessageHeader Header(ulong sequence, DateTimeOffset receivedAt, long zoomTimestamp, string userId, string? userName) => new()
    {
        Sequence = sequence,
        ZoomTimestampMs = zoomTimestamp,
        ReceivedAt = Timestamp.FromDateTimeOffset(receivedAt),
        UserId = userId,
        UserName = userName ?? string.Empty,
    };

    /// <remarks>The payload is wrapped, not copied: the response must be encoded before the pooled payload is returned.
    /// (Audio, most of the frames, is encoded without a message tree: <see cref="Wire.AudioResponseEncoder"/>.)</remarks>
    public static SubscribeVideoResponse Video(MessageHeader header, VideoSource source, VideoFormat format, bool keyFrame, MediaDataMessage message) => new()
    {
        Frame = new VideoFrame { Header = header, Source = source, Format = format, KeyFrame = keyFrame, Data = Wrap(message.Payload) },
    };

    public static VideoSource SourceOf(MediaDataMessage message) =>
        message.MsgType == MessageType.MediaDataShare ? VideoSource.ScreenShare : VideoSource.Camera;

    public static SubscribeTranscriptsResponse Transcript(MessageHeader header, MediaDataMessage message) => new()
    {
        Segment = new TranscriptSegment
        {
            Header = header,
            Text = message.Text ?? string.Empty,
            Language = (ZoomTranscriptLanguage)(int)(message.Language ?? TranscriptLanguage.None),
            StartTimeMs = message.StartTime ?? 0,
            EndTimeMs = message.EndTime ?? 0,
            Attribute = (TranscriptSegment.Types.Attribute)(int)(message.Attribute ?? DataMessageAttribute.None),
            ChannelId = message.ChannelId ?? 0,
            Channel = message.Channel ?? string.Empty,
        },
    };

    /// <param name="userIds">Turns Zoom's numeric or text user ids into the API's text form.</param>
    public static SessionEvent Chat(string userId, MediaDataMessage message, Func<RtmsUserId?, string> userIds)
    {
        var chat = new ChatMessage
        {
            Sender = new Participant { UserId = userId, UserName = message.UserName ?? string.Empty },
            Text = message.Text ?? string.Empty,
            RawJson = message.ContentJson ?? string.Empty,
            DataShape = message.ChatShape switch
            {
                ChatDataShape.Text => ChatMessage.Types.DataShape.Text,
                ChatDataShape.Object => ChatMessage.Types.DataShape.Object,
                ChatDataShape.JsonString => ChatMessage.Types.DataShape.JsonString,
                _ => ChatMessage.Types.DataShape.Unspecified,
            },
        };
        if (message.Chat is { } data)
        {
            Participant One(RtmsParticipant p) => new() { UserId = userIds(p.UserId), UserName = p.UserName ?? string.Empty };
            if (data.Sender is { } sender)
            {
                chat.Sender = One(sender);
            }
            if (data.Receiver is { } receiver)
            {
                chat.Receiver = One(receiver);
            }
            chat.ChatSessionType = (ChatSessionType)(data.ChatSession?.Type ?? 0);
            chat.ChatSessionId = data.ChatSession?.Id ?? string.Empty;
            chat.OperationType = (ChatOperation)(data.OperationType ?? 0);
            chat.MessageId = data.MessageId ?? string.Empty;
            chat.ParentMessageId = data.ParentMessageId ?? string.Empty;
            chat.Files.AddRange(data.Files.Select(f => new Api.V1.ChatFile { FileId = f.FileId ?? string.Empty, FileName = f.FileName ?? string.Empty, FileSize = f.FileSize ?? 0, RawJson = f.RawJson }));
            chat.DeletedFileIds.AddRange(data.DeletedFileIds);
            chat.DataJson = data.RawJson;
        }
        return new SessionEvent { Chat = chat };
    }

    /// <param name="userIds">Turns Zoom's numeric or text user ids into the API's text form.</param>
    /// <param name="contactCenter">Contact Center event numbers mean other things (ZCC voice events): carried as <see cref="OtherEvent"/>.</param>
    public static SessionEvent Event(RtmsEvent e, Func<RtmsUserId?, string> userIds, bool contactCenter)
    {
        var evt = new SessionEvent();
        Participant One(RtmsUserId? id, string? name) => new() { UserId = userIds(id), UserName = name ?? string.Empty };
        IEnumerable<Participant> All() => (e.Participants ?? []).Select(p => One(p.UserId, p.UserName));
        switch (contactCenter ? -1 : e.EventType)
        {
            case (int)EventType.ActiveSpeakerChange:
                evt.ActiveSpeakerChanged = new ActiveSpeakerChanged { Speaker = One(e.UserId, e.UserName) };
                break;
            case (int)EventType.ParticipantJoin:
                evt.ParticipantsJoined = new ParticipantsJoined { Participants = { All() } };
                break;
            case (int)EventType.ParticipantLeave:
                evt.ParticipantsLeft = new ParticipantsLeft { Participants = { All() } };
                break;
            case (int)EventType.SharingStart:
                evt.SharingStarted = new SharingStarted { Sharer = One(e.UserId, e.UserName) };
                break;
            case (int)EventType.SharingStop:
                evt.SharingStopped = new SharingStopped();
                break;
            case (int)EventType.ParticipantVideoOn:
            case (int)EventType.ParticipantVideoOff:
                evt.ParticipantVideoChanged = new ParticipantVideoChanged { Participants = { All() }, VideoOn = e.EventType == (int)EventType.ParticipantVideoOn };
                break;
            default:
                evt.Other = new OtherEvent { EventType = e.EventType, RawJson = System.Text.Json.JsonSerializer.Serialize(e, RtmsJsonContext.Default.RtmsEvent) };
                break;
        }
        return evt;
    }

    public static SessionEvent StreamState(StreamStateUpdate update) => new()
    {
        StreamStateChanged = new RtmsStreamStateChanged { State = (ZoomStreamState)(int)update.State, Reason = (ZoomStopReason)(int)(update.Reason ?? StopReason.Undefined) },
    };

    public static SessionEvent SessionState(SessionStateUpdate update) => new()
    {
        SessionStateChanged = new RtmsSessionStateChanged { RtmsSessionId = update.RtmsSessionId ?? string.Empty, State = (ZoomSessionState)(int)update.State, StopReason = (ZoomStopReason)(int)update.StopReason },
    };

    public static SessionEvent Upstream(Api.V1.SessionState state, string detail) => new()
    {
        UpstreamStateChanged = new UpstreamStateChanged { State = state, Detail = detail },
    };

    public static Api.V1.SessionState State(Rtms.UpstreamState state) => state switch
    {
        Rtms.UpstreamState.Connecting => Api.V1.SessionState.Connecting,
        Rtms.UpstreamState.Streaming => Api.V1.SessionState.Streaming,
        Rtms.UpstreamState.Paused => Api.V1.SessionState.Paused,
        Rtms.UpstreamState.Reconnecting => Api.V1.SessionState.Reconnecting,
        _ => Api.V1.SessionState.Unspecified,
    };

    private static ByteString Wrap(MediaPayload payload) => UnsafeByteOperations.UnsafeWrap(payload.Memory);
}
