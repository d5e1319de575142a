namespace RtmsGateway.Protocol;

/// <summary>
/// A handshake (msg_type 1 or 3) names its instance under the product's own key: <c>meeting_uuid</c> (meetings, and the
/// documented key for every product), <c>webinar_uuid</c>, <c>session_id</c> (Video SDK), <c>engagement_id</c>
/// (Contact Center) or <c>call_id</c> (Zoom Phone), as Zoom's SDK writes it. See <see cref="InstanceIdKeys"/>.
/// </summary>
public interface IInstanceIdentified
{
    string? MeetingUuid { get; set; }

    string? WebinarUuid { get; set; }

    string? SessionId { get; set; }

    string? EngagementId { get; set; }

    string? CallId { get; set; }
}
