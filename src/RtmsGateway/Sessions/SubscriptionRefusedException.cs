namespace RtmsGateway.Sessions;

/// <summary>A channel refused a subscription; nothing was registered.</summary>
/// <param name="field">The request field at fault, when one is (e.g. <c>format.sample_rate_hz</c>).</param>
/// <param name="limit">The limit that refused it, when one did.</param>
internal sealed class SubscriptionRefusedException(SubscriptionRefusal refusal, string message, string? field = null, int? limit = null) : Exception(message)
{
    public SubscriptionRefusal Refusal { get; } = refusal;

    public string? Field { get; } = field;

    public int? Limit { get; } = limit;
}
