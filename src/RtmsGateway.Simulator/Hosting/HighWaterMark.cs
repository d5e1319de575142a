namespace RtmsGateway.Simulator;

/// <summary>Lock-free maximum of a counter: raised whenever the counter reaches a new height, never lowered.</summary>
internal static class HighWaterMark
{
    public static void Raise(ref long mark, long value)
    {
        var current = Interlocked.Read(ref mark);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref mark, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
