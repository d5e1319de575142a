using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>
/// Which of the documented alternatives (protocol reference §8) a meeting emits, so a client's tolerant parsing is
/// exercised. Every default is the primary documented form.
/// </summary>
public sealed class WireVariants
{
    /// <summary>The data handshake response's encryption flag as <c>payload_encrypted</c> (DOC-ER example) instead of
    /// <c>payload_encryption</c> (DOC-ER table, samples).</summary>
    public bool PayloadEncryptedFlag { get; set; }

    /// <summary>SESSION_STATE_UPDATE's stop reason as <c>reason</c> (DOC-ER table) instead of <c>stop_reason</c> (DOC-ER example).</summary>
    public bool SessionStopAsReason { get; set; }

    /// <summary>Webinar webhooks carry <c>meeting_uuid</c> (SKILLS) instead of <c>webinar_uuid</c> (DOC-API).</summary>
    public bool WebinarMeetingUuid { get; set; }

    /// <summary><c>user_id</c> as a JSON string of digits (DOC-ER join/leave examples) instead of a number, in media
    /// content and event updates.</summary>
    public bool UserIdsAsStrings { get; set; }

    /// <summary><c>server_urls</c> of <c>rtms_started</c> lists several comma-separated URLs ("multiple URLs for different
    /// protocols", DOC-API): an <c>rtmp://</c> and an <c>https://</c> entry before the WebSocket one.</summary>
    public bool MultipleServerUrls { get; set; }

    /// <summary>Contact Center <c>channel_id</c> as a number (1, 2 … — older text) instead of a string such as
    /// <c>"1abc"</c> (Zoom's field tables and examples: <c>"123abc"</c>).</summary>
    public bool NumericChannelIds { get; set; }

    /// <summary>How chat (msg_type 18) carries <c>content.data</c>: an object with sender, chat session, operation, message
    /// id, text, files (default: chat as Zoom's current samples expose it, July 2026+), a JSON string holding that object,
    /// or the plain text (DOC-ER's older chat text).</summary>
    public ChatDataShape ChatData { get; set; } = ChatDataShape.Object;
}
