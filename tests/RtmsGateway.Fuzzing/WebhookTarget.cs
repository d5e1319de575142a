using RtmsGateway.Protocol;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Fuzzing;

/// <summary>
/// <see cref="ZoomWebhookParser.Parse"/> on an arbitrary body: it returns an event that honours its annotations, or
/// throws an <see cref="RtmsProtocolException"/>. Nothing else may escape.
/// </summary>
public sealed class WebhookTarget : IFuzzTarget
{
    public string Name => "webhook";

    public void Run(ReadOnlySpan<byte> input)
    {
        ZoomWebhookEvent evt;
        try
        {
            evt = ZoomWebhookParser.Parse(input);
        }
        catch (RtmsProtocolException)
        {
            return;
        }
        NullabilityContract.Check(evt);
        if (string.IsNullOrEmpty(evt.Event))
        {
            throw new ContractViolationException("A parsed webhook has no event name.");
        }
    }
}
