using System.Globalization;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Chaos;

/// <summary>
/// Which replica process holds a loopback TCP socket, by its local port (Linux: the socket's inode in /proc/net/tcp,
/// then the process whose file descriptors link to it). Attributes a simulator-side <c>ip:port</c> of a signaling client
/// to a replica. Best effort: a socket already closed has no owner any more.
/// </summary>
internal static class SocketOwners
{
    /// <summary>The replica holding the client end <paramref name="endpoint"/> (<c>127.0.0.1:port</c>), if still open.</summary>
    public static string? Find(string endpoint, IEnumerable<GatewayReplica> replicas)
    {
        var colon = endpoint.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(endpoint[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }
        try
        {
            if (InodeOf(port) is not { } inode)
            {
                return null;
            }
            var link = $"socket:[{inode}]";
            foreach (var replica in replicas.Where(r => !r.HasExited))
            {
                var fds = $"/proc/{replica.ProcessId}/fd";
                if (Directory.Exists(fds) && Directory.EnumerateFileSystemEntries(fds).Any(fd => new FileInfo(fd).LinkTarget == link))
                {
                    return replica.ReplicaId;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
        }
        return null;
    }

    /// <summary>The inode of the TCP socket whose local port is <paramref name="port"/> (rows: "sl local rem st … inode").</summary>
    private static string? InodeOf(int port)
    {
        var hexPort = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[1].EndsWith(hexPort, StringComparison.Ordinal) && fields[9] != "0")
                {
                    return fields[9];
                }
            }
        }
        return null;
    }
}
