namespace RtmsGateway.Sessions;

/// <summary>Why a channel refused a subscription (the gRPC layer maps each to a status code).</summary>
internal enum SubscriptionRefusal
{
    /// <summary>The channel already has its maximum of subscribers (RESOURCE_EXHAUSTED).</summary>
    SubscriberLimit = 1,

    /// <summary>The resume point is no sequence this gateway ever assigns (INVALID_ARGUMENT).</summary>
    InvalidResumePoint = 2,

    /// <summary>The resume point lies after the last message of the channel (OUT_OF_RANGE).</summary>
    FutureResumePoint = 3,
}
