namespace RtmsGateway.Ownership;

/// <summary>
/// This replica's claim on one RTMS stream. <see cref="Epoch"/> is the fencing token: it increases with every new owner.
/// <see cref="Record"/> travels with renewals so the owner can restore it if Redis lost its data.
/// </summary>
public sealed record OwnershipLease(string StreamId, string ReplicaId, ulong Epoch, SessionRecord Record);
