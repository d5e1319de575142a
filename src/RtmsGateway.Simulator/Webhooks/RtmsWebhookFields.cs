using System.Text.Json;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator;

/// <summary>
/// The documented payload fields of RTMS webhooks per product (§2.2; CL-2605 additions): meetings carry
/// <c>meeting_uuid</c>, webinars <c>webinar_uuid</c>, Video SDK sessions <c>session_id</c> + <c>session_key</c>;
/// <c>rtms_started</c> adds <c>operator_id</c>, <c>server_urls</c> and the May 2026 fields, <c>rtms_stopped</c> the
/// <c>stop_reason</c>. <c>account_id</c> is written by the envelope.
/// </summary>
internal static class RtmsWebhookFields
{
    public static string Prefix(SimulatedProduct product) => product switch
    {
        SimulatedProduct.Webinar => "webinar",
        SimulatedProduct.VideoSdk => "session",
        _ => "meeting",
    };

    public static void Write(Utf8JsonWriter w, SimulatedMeeting meeting, string eventName, StopReason? stopReason)
    {
        var product = meeting.Options.Product;
        var action = eventName[(eventName.LastIndexOf('.') + 1)..];
        switch (product)
        {
            case SimulatedProduct.Webinar:
                w.WriteString("webinar_uuid", meeting.InstanceId);
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
            w.WriteString("server_urls", meeting.SignalingUrl);
            if (product != SimulatedProduct.VideoSdk)
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
}
