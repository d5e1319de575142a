using RtmsGateway.Protocol;

namespace RtmsGateway.Fuzzing;

/// <summary>
/// <see cref="RtmsMessageReader.Read"/> on an arbitrary frame: it returns a message that honours its annotations, or
/// throws an <see cref="RtmsProtocolException"/>. A message it returns can be written back with
/// <see cref="RtmsMessageWriter"/>, that frame reads again, and writing it a second time gives the same bytes (what the
/// gateway relays is stable). Both payload allocations are used, and each message is disposed, as the gateway does.
/// </summary>
public sealed class RtmsMessageTarget : IFuzzTarget
{
    private static readonly RtmsMessageReader Pooled = new(allocation: MediaPayloadAllocation.Pooled);
    private static readonly RtmsMessageReader Exact = new(allocation: MediaPayloadAllocation.Exact);

    public string Name => "rtms";

    public void Run(ReadOnlySpan<byte> input)
    {
        RtmsMessage first;
        try
        {
            first = Pooled.Read(input);
        }
        catch (RtmsProtocolException)
        {
            return;
        }
        try
        {
            NullabilityContract.Check(first);
            var written = Write(first, "the parsed frame");
            var second = ReadBack(written);
            try
            {
                NullabilityContract.Check(second);
                var rewritten = Write(second, "the re-read frame");
                if (!written.AsSpan().SequenceEqual(rewritten))
                {
                    throw new ContractViolationException(
                        $"Writing a re-read message changed it: {Preview(written)} became {Preview(rewritten)}.");
                }
            }
            finally
            {
                (second as IDisposable)?.Dispose();
            }
        }
        finally
        {
            (first as IDisposable)?.Dispose();
        }
    }

    private static byte[] Write(RtmsMessage message, string what)
    {
        try
        {
            return RtmsMessageWriter.ToUtf8Bytes(message);
        }
        catch (Exception ex)
        {
            throw new ContractViolationException($"Writing {what} ({message.GetType().Name}) failed: {ex.Message}", ex);
        }
    }

    private static RtmsMessage ReadBack(byte[] written)
    {
        try
        {
            return Exact.Read(written);
        }
        catch (RtmsProtocolException ex)
        {
            throw new ContractViolationException($"The reader refuses what the writer wrote ({ex.Message}): {Preview(written)}", ex);
        }
    }

    private static string Preview(byte[] json) =>
        System.Text.Encoding.UTF8.GetString(json.AsSpan(0, Math.Min(json.Length, 300)));
}
