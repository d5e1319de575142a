namespace RtmsGateway.Protocol;

/// <summary>
/// The structured <c>content.data</c> of a chat message (msg_type 18), when Zoom sent an object (or a JSON string holding
/// one). Zoom documents the concepts (sender, receiver, chat session, operation, message and parent ids, files, deleted
/// file ids — SAMPLES chat sample) but not every wire key, so each is read under its snake_case name and the likely
/// alternatives; the message text under <c>text</c>, <c>content</c>, <c>message</c> or <c>msg</c>.
/// </summary>
public sealed class ChatContent
{
    public RtmsParticipant? Sender { get; set; }

    /// <summary>The addressee of a direct message.</summary>
    public RtmsParticipant? Receiver { get; set; }

    public ChatSessionRef? ChatSession { get; set; }

    /// <summary>1 new, 2 delete, 3 update, 4 add emoji reaction, 5 remove emoji reaction.</summary>
    public int? OperationType { get; set; }

    public string? MessageId { get; set; }

    public string? ParentMessageId { get; set; }

    public string? Text { get; set; }

    public IReadOnlyList<ChatFile> Files { get; set; } = [];

    public IReadOnlyList<string> DeletedFileIds { get; set; } = [];

    /// <summary>The object as Zoom sent it (JSON text).</summary>
    public string RawJson { get; set; } = "{}";
}
