namespace RtmsGateway.Ownership;

/// <summary>Who owns a stream right now, and the record any replica needs to take it over.</summary>
public sealed record SessionOwnership(SessionRecord Record, string? OwnerReplicaId, ulong Epoch);
