namespace RtmsGateway.Sessions;

/// <summary>A subscriber asked for a participant's individual video that cannot be delivered now.</summary>
internal sealed class IndividualVideoRefusedException(IndividualVideoRefusal refusal, string message) : Exception(message)
{
    public IndividualVideoRefusal Refusal { get; } = refusal;
}

internal enum IndividualVideoRefusal
{
    /// <summary>The session's video is not in individual mode, or more participants were named than Zoom delivers.</summary>
    NotAvailable,

    /// <summary>Zoom delivers one participant at a time and another one is being watched.</summary>
    SlotTaken,

    /// <summary>Zoom answered VIDEO_SUBSCRIPTION_RESP with an error status.</summary>
    RefusedByZoom,
}
