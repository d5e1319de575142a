namespace RtmsGateway.Sessions;

/// <summary>A <c>WatchSessions</c> caller read so slowly that its queue filled; it must watch again with a snapshot.</summary>
internal sealed class WatcherOverflowException() : Exception("Watcher too slow; watch again with include_existing.");
