namespace RtmsGateway.Simulator;

/// <summary>
/// Which key a signaling or data handshake must carry the instance id under. Zoom's API reference names
/// <c>meeting_uuid</c> for every product; Zoom's SDK writes the product's own key (<c>webinar_uuid</c>, <c>session_id</c>,
/// <c>engagement_id</c>, <c>call_id</c>). In every reading a key of another product, or a key whose value is not this
/// stream's instance, is refused.
/// </summary>
public enum HandshakeIdReading
{
    /// <summary>Either <c>meeting_uuid</c> or the product's own key (the default: generous where the sources disagree).</summary>
    Either,

    /// <summary>Only the product's own key counts, as Zoom's SDK reads it.</summary>
    ProductKey,

    /// <summary>Only <c>meeting_uuid</c> counts, as the API reference reads it.</summary>
    MeetingUuid,
}
