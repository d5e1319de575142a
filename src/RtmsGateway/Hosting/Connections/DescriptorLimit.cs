using System.Globalization;

namespace RtmsGateway.Hosting.Connections;

/// <summary>The process's file descriptor limit (RLIMIT_NOFILE, soft; the runtime raises it to the hard limit at start) and
/// the descriptors open now, read from /proc on Linux.</summary>
internal static class DescriptorLimit
{
    /// <summary>The soft limit, or null where it cannot be read (not Linux).</summary>
    public static long? Current()
    {
        try
        {
            if (!OperatingSystem.IsLinux())
            {
                return null;
            }
            // "Max open files            20000                20000                files"
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var soft = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Descriptors open now (the entries of /proc/self/fd), or null.</summary>
    public static int? Open()
    {
        try
        {
            return OperatingSystem.IsLinux() ? Directory.EnumerateFileSystemEntries("/proc/self/fd").Count() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
