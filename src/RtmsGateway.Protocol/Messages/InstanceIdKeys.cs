using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Protocol;

/// <summary>
/// Which <see cref="HandshakeRequest"/> key carries the instance id per product. Zoom's sources disagree: the API reference names
/// <c>meeting_uuid</c> for every product, Zoom's SDK writes the product's own key (<c>webinar_uuid</c>, <c>session_id</c>,
/// <c>engagement_id</c>, <c>call_id</c>). A client that writes both is understood by either reading.
/// </summary>
public static class InstanceIdKeys
{
    public const string MeetingUuid = "meeting_uuid";
    public const string WebinarUuid = "webinar_uuid";
    public const string SessionId = "session_id";
    public const string EngagementId = "engagement_id";
    public const string CallId = "call_id";

    /// <summary>The product's own key (<c>meeting_uuid</c> for meetings and for an unknown product).</summary>
    public static string For(RtmsProduct product) => product switch
    {
        RtmsProduct.Webinar => WebinarUuid,
        RtmsProduct.VideoSdk => SessionId,
        RtmsProduct.ContactCenter => EngagementId,
        RtmsProduct.Phone => CallId,
        _ => MeetingUuid,
    };

    /// <summary>Writes the id under <c>meeting_uuid</c> and under the product's own key.</summary>
    public static void Set(HandshakeRequest request, RtmsProduct product, string instanceId)
    {
        request.MeetingUuid = instanceId;
        switch (For(product))
        {
            case WebinarUuid: request.WebinarUuid = instanceId; break;
            case SessionId: request.SessionId = instanceId; break;
            case EngagementId: request.EngagementId = instanceId; break;
            case CallId: request.CallId = instanceId; break;
        }
    }

    /// <summary>Every key the request carries an id under, with its value.</summary>
    public static IEnumerable<(string Key, string Value)> Present(HandshakeRequest request)
    {
        (string Key, string? Value)[] all =
        [
            (MeetingUuid, request.MeetingUuid), (WebinarUuid, request.WebinarUuid), (SessionId, request.SessionId),
            (EngagementId, request.EngagementId), (CallId, request.CallId),
        ];
        return all.Where(p => p.Value is not null).Select(p => (p.Key, p.Value!));
    }
}
