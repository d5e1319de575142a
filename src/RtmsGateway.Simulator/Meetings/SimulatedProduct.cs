namespace RtmsGateway.Simulator;

/// <summary>Which Zoom product the simulated stream belongs to (decides webhook names and id fields).</summary>
public enum SimulatedProduct
{
    Meeting,
    Webinar,
    VideoSdk,

    /// <summary>Zoom Contact Center voice: <c>contact_center.voice_rtms_*</c> webhooks with <c>engagement_id</c>, ZCC voice
    /// events (§3.6), <c>channel_id</c> in audio and transcripts.</summary>
    ContactCenter,

    /// <summary>Zoom Phone: <c>phone.rtms_*</c> webhooks with <c>call_id</c>.</summary>
    Phone,
}
