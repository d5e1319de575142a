using RtmsGateway.Rtms;

namespace RtmsGateway.Sessions.Lifecycle;

/// <summary>How a stream's life on this replica ended.</summary>
internal abstract record StreamEnding
{
    /// <summary>The stream is over (Zoom stopped it, a refusal, or reconnecting gave up): complete the hub, forget the record.</summary>
    public sealed record Finished(RtmsStopResult Result) : StreamEnding;

    /// <summary>The stream lives on elsewhere: this replica drains, lost the lease, or failed: subscribers reconnect and resume.</summary>
    public sealed record Relinquished(RelinquishReason Reason) : StreamEnding;
}

internal enum RelinquishReason
{
    Drain = 1,
    LeaseLost = 2,

    /// <summary>A defect in this replica's handling of the stream: the lease is released so another replica takes it over.</summary>
    Failure = 3,
}
