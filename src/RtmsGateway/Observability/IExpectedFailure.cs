namespace RtmsGateway.Observability;

/// <summary>
/// Marks an exception that reports expected weather — a dependency down or unreachable — rather than a defect: it is
/// logged by its message alone, without a stack trace per retry.
/// </summary>
public interface IExpectedFailure;
