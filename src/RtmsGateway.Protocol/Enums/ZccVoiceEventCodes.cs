namespace RtmsGateway.Protocol;

/// <summary>The documented range of RTMS_ZCC_VOICE_EVENT_TYPE codes: "event codes 8-34" (Contact Center events page,
/// https://developers.zoom.us/docs/rtms/event-reference/contact-center-events/). <see cref="ZccVoiceEventType"/> names
/// 8-29; 30-34 (IVR flow events) are carried by number.</summary>
public static class ZccVoiceEventCodes
{
    public const int First = (int)ZccVoiceEventType.ConsumerAnswered;

    public const int Last = 34;
}
