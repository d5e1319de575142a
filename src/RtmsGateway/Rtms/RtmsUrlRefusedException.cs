namespace RtmsGateway.Rtms;

/// <summary>An RTMS URL, or an address its host resolved to, is outside <see cref="RtmsUrlPolicy"/>: not dialled, not retried.</summary>
internal sealed class RtmsUrlRefusedException(string message) : Exception(message);
