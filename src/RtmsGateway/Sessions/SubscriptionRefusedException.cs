namespace RtmsGateway.Sessions;

/// <summary>A channel refused a subscription; nothing was registered.</summary>
internal sealed class SubscriptionRefusedException(SubscriptionRefusal refusal, string message) : Exception(message)
{
    public SubscriptionRefusal Refusal { get; } = refusal;
}
