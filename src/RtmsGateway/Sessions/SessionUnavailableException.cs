namespace RtmsGateway.Sessions;

/// <summary>
/// This replica stopped serving a session that lives on (it drains, or lost the session's lease): its subscribers reconnect
/// and resume, on any replica. The gRPC layer ends their calls with UNAVAILABLE and the resume trailer.
/// </summary>
internal sealed class SessionUnavailableException(string message) : Exception(message);
