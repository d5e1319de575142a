using RtmsGateway.Benchmarks.Harness;

namespace RtmsGateway.Benchmarks.Ownership;

/// <summary>
/// One measured grid point. <see cref="Faithful"/>: every lease was renewed on schedule through the steady window (none
/// lapsed, none lost, none failed, at least 95 % of the scheduled renewals done), so the figures are the design's and not
/// an overloaded harness's or Redis's; <see cref="Verdict"/> says what bound it otherwise, and <see cref="BoundBy"/> names it
/// (<c>redis</c>, <c>harness</c>, or empty when faithful).
/// </summary>
internal sealed record OwnershipPoint(int Sessions, int Replicas, string Load, bool Faithful, bool Holds, string BoundBy, string Verdict, Figure[] Figures)
{
    /// <summary>A point with at least as many sessions and replicas as this unfaithful one is bound by the same thing.</summary>
    public bool Dominates(int sessions, int replicas) => !Faithful && BoundBy.Length > 0 && sessions >= Sessions && replicas >= Replicas;
}
