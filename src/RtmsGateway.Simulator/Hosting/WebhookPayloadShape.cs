namespace RtmsGateway.Simulator;

/// <summary>Where webhook fields sit (both occur, §2.2): directly under <c>payload</c> or under <c>payload.object</c>.</summary>
public enum WebhookPayloadShape
{
    Flat,
    Nested,
}
