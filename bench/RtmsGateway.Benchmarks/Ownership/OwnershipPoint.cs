using RtmsGateway.Benchmarks.Harness;

namespace RtmsGateway.Benchmarks.Ownership;

/// <summary>
/// One measured grid point. <see cref="Faithful"/>: every lease was renewed on schedule through the steady window (none
/// lapsed, none lost, none failed, at least 95 % of the scheduled renewals done), so the figures are the design's and not
/// an overloaded harness's or Redis's; <see cref="Verdict"/> says what bound it otherwise, and <see cref="BoundBy"/> names it
/// (<c>redis</c>, <c>harness</c>, <c>machine</c> when other work held the cores, or empty when faithful). <see cref="Severe"/>:
/// leases lapsed or renewals failed, or fewer than 80 % of them were done.
/// </summary>
internal sealed record OwnershipPoint(int Sessions, int Replicas, string Load, bool Faithful, bool Holds, string BoundBy, bool Severe, string Verdict, Figure[] Figures)
{
    /// <summary>A point with at least as many sessions and replicas as this severely bound one is bound by the same thing
    /// (not so when the machine was busy with other work: that may pass).</summary>
    public bool Dominates(int sessions, int replicas) => Severe && BoundBy is "redis" or "harness" && sessions >= Sessions && replicas >= Replicas;
}
