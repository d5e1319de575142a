namespace RtmsGateway.Ownership;

/// <summary>
/// The ownership store could not be reached (Redis down, timing out, or partitioned from this replica). Nothing is
/// known about the call's effect; callers retry. Never means "not the owner": that is a refused renewal.
/// </summary>
public sealed class OwnershipStoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner), Observability.IExpectedFailure;
