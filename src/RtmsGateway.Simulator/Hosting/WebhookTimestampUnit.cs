namespace RtmsGateway.Simulator;

/// <summary>Unit of <c>x-zm-request-timestamp</c> (both occur, §2.5).</summary>
public enum WebhookTimestampUnit
{
    Seconds,
    Milliseconds,
}
