using System.Globalization;
using System.Text.RegularExpressions;
using RtmsGateway.Testing;

namespace RtmsGateway.Benchmarks.Harness;

/// <summary>
/// A gateway's managed heap as of its last GC, read from its own <c>/metrics</c>: the heap size of the runtime's
/// System.Runtime meter (free space inside the heap, fragmentation, not counted), the bytes of encoded messages its
/// replay buffers hold (<c>rtms_gateway_replay_buffer_bytes</c>: the media buffers), the rest of the heap, and the total
/// time paused by GCs and the bytes allocated since the process started (all threads).
/// </summary>
internal sealed partial record ManagedHeap(long MediaBufferBytes, long OtherBytes, double PauseSeconds, long AllocatedBytes)
{
    public static async Task<ManagedHeap> ReadAsync(GatewayReplica gateway, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = gateway.HttpUrl };
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), ct);
        long heap = 0, buffers = 0;
        var allocated = Allocated().Match(text) is { Success: true } a ? (long)double.Parse(a.Groups["bytes"].Value, CultureInfo.InvariantCulture) : -1;
        var pause = PauseTime().Match(text) is { Success: true } p ? double.Parse(p.Groups["seconds"].Value, CultureInfo.InvariantCulture) : double.NaN;
        foreach (Match match in HeapSize().Matches(text))
        {
            var bytes = (long)double.Parse(match.Groups["bytes"].Value, CultureInfo.InvariantCulture);
            heap += match.Groups["metric"].Value == "fragmentation_size" ? -bytes : bytes;
        }
        foreach (Match match in ReplayBuffer().Matches(text))
        {
            buffers += (long)double.Parse(match.Groups["bytes"].Value, CultureInfo.InvariantCulture);
        }
        return heap == 0 ? throw new InvalidOperationException("The gateway's /metrics has no dotnet_gc_last_collection_heap_size_bytes.") : new ManagedHeap(buffers, heap - buffers, pause, allocated);
    }

    [GeneratedRegex("""^rtms_gateway_replay_buffer_bytes\{[^}]*\} (?<bytes>[0-9.eE+]+)""", RegexOptions.Multiline)]
    private static partial Regex ReplayBuffer();

    [GeneratedRegex("""^dotnet_gc_last_collection_heap_(?<metric>size|fragmentation_size)_bytes\{[^}]*gc_heap_generation="(?<generation>\w+)"[^}]*\} (?<bytes>[0-9.eE+]+)""", RegexOptions.Multiline)]
    private static partial Regex HeapSize();

    [GeneratedRegex("""^dotnet_gc_heap_total_allocated_bytes_total(\{[^}]*\})? (?<bytes>[0-9.eE+]+)""", RegexOptions.Multiline)]
    private static partial Regex Allocated();

    [GeneratedRegex("""^dotnet_gc_pause_time_seconds_total(\{[^}]*\})? (?<seconds>[0-9.eE+-]+)""", RegexOptions.Multiline)]
    private static partial Regex PauseTime();
}
