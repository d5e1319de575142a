using RtmsGateway.Benchmarks.Harness;

namespace RtmsGateway.Benchmarks.Ownership;

/// <summary>
/// One measured grid point. <see cref="Faithful"/>: every lease was renewed on schedule through the steady window (none
/// lapsed, none lost, none failed, at least 95 % of the scheduled renewals done), so the figures are the design's and not
/// an overloaded harness's or Redis's; <see cref="Verdict"/> says what bound it otherwise.
/// </summary>
internal sealed record OwnershipPoint(int Sessions, int Replicas, string Load, bool Faithful, bool Holds, string Verdict, Figure[] Figures);
