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

    /// <summary>The audio format asked for is none the gateway produces (INVALID_ARGUMENT, naming the field).</summary>
    InvalidAudioFormat = 4,

    /// <summary>This session's audio cannot be converted to the format asked for (its codec, or its frame duration for
    /// Opus): FAILED_PRECONDITION.</summary>
    AudioNotConvertible = 5,

    /// <summary>The session converts its audio to its maximum of formats already (RESOURCE_EXHAUSTED).</summary>
    ConversionLimit = 6,
}
