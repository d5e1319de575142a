namespace RtmsGateway.Sessions;

/// <summary>The cluster's session catalog cannot be read (Redis unreachable): a session owned elsewhere cannot be found now.</summary>
internal sealed class SessionCatalogUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
