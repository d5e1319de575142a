namespace RtmsGateway.Protocol.Webhooks;

/// <summary>The Zoom product whose stream a webhook is about, from the event name's prefix.</summary>
public enum RtmsProduct
{
    Unknown,
    Meeting,
    Webinar,
    VideoSdk,
    ContactCenter,
    Phone,
}
