namespace RtmsGateway.Tests.Chaos;

/// <summary>One reason the cluster is not ready yet (a violation if it is still so when the readiness timeout ends).
/// <see cref="Kind"/> null: only blocks readiness (reported elsewhere, e.g. a replica that did not start).</summary>
internal sealed record ReadinessProblem(ViolationKind? Kind, string Detail, ChaosMeeting? Meeting = null, ChaosConsumer? Consumer = null)
{
    /// <summary>A problem of the session itself (not of one consumer): the meeting is lost if it persists.</summary>
    public bool LosesMeeting => Meeting is not null && Consumer is null;
}
