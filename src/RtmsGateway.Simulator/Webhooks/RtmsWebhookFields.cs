using System.Text.Json;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>
/// The documented payload fields of RTMS webhooks per product (§2.2; CL-2605 additions): meetings carry
/// <c>meeting_uuid</c>, webinars <c>webinar_uuid</c> (or <c>meeting_uuid</c>, a §8 variant), Video SDK sessions <c>session_id</c> + <c>session_key</c>, Contact Center <c>engagement_id</c>
/// (<c>contact_center.voice_rtms_*</c>), Zoom Phone <c>call_id</c> (<c>phone.rtms_*</c>);
/// <c>rtms_started</c> adds <c>operator_id</c>, <c>server_urls</c> (one URL, or several: <see cref="WireVariants"/>) and the May 2026 fields, <c>rtms_stopped</c> the
/// <c>stop_reason</c>. <c>account_id</c> is written by the envelope.
/// </summary>
internal static class RtmsWebhookFields
{
    public static string Prefix(SimulatedProduct product) => product switch
    {
        SimulatedProduct.Webinar => "webinar",
        SimulatedProduct.VideoSdk => "session",
        SimulatedProduct.ContactCenter => "contact_center",
        SimulatedProduct.Phone => "phone",
        _ => "meeting",
    };

    /// <summary>The full event name of an action (<c>rtms_started</c>): <c>meeting.rtms_started</c>, or for Contact Center
    /// <c>contact_center.voice_rtms_started</c>.</summary>
    public static string EventName(SimulatedProduct product, string action) =>
        product == SimulatedProduct.ContactCenter ? $"contact_center.voice_{action}" : $"{Prefix(product)}.{action}";

    public static void Write(Utf8JsonWriter w, SimulatedMeeting meeting, string eventName, StopReason? stopReason)
    {
        var product = meeting.Options.Product;
        var action = eventName[(eventName.LastIndexOf('.') + 1)..];
        if (action.StartsWith("voice_", StringComparison.Ordinal))
        {
            action = action["voice_".Length..];
        }
        switch (product)
        {
            case SimulatedProduct.Webinar:
                w.WriteString(meeting.Options.Variants.WebinarMeetingUuid ? "meeting_uuid" : "webinar_uuid", meeting.InstanceId);
                break;
            case SimulatedProduct.ContactCenter:
                w.WriteString("engagement_id", meeting.InstanceId);
                break;
            case SimulatedProduct.Phone:
                w.WriteString("call_id", meeting.InstanceId);
                break;
            case SimulatedProduct.VideoSdk:
                w.WriteString("session_id", meeting.InstanceId);
                w.WriteString("session_key", meeting.SessionKey);
                break;
            default:
                w.WriteString("meeting_uuid", meeting.InstanceId);
                break;
        }
        w.WriteString("rtms_stream_id", meeting.StreamId);
        if (action == "rtms_started")
        {
            w.WriteString("server_urls", ServerUrls(meeting));
            if (product is not (SimulatedProduct.VideoSdk or SimulatedProduct.ContactCenter or SimulatedProduct.Phone))
            {
                w.WriteString("operator_id", meeting.OperatorId);
                w.WriteNumber("meeting_id", meeting.MeetingNumber);
                w.WriteBoolean("is_original_host", true);
            }
            if (product == SimulatedProduct.Webinar)
            {
                w.WriteNumber("webinar_id", meeting.MeetingNumber);
            }
        }
        if (stopReason is { } reason)
        {
            w.WriteNumber("stop_reason", (int)reason);
        }
    }

    /// <summary>The signaling URL, or (variant) "multiple URLs for different protocols separated by commas" with the
    /// WebSocket one last: clients must pick the ws(s) entry, not the first.</summary>
    private static string ServerUrls(SimulatedMeeting meeting)
    {
        if (!meeting.Options.Variants.MultipleServerUrls)
        {
            return meeting.SignalingUrl;
        }
        var signaling = new Uri(meeting.SignalingUrl);
        return $"rtmp://{signaling.Host}:1935/rtms/{meeting.StreamId},https://{signaling.Authority}/rtms,{meeting.SignalingUrl}";
    }
}
