using RtmsGateway.Protocol;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Simulator;

/// <summary>Checks the instance id keys of a handshake against the stream's product (see <see cref="HandshakeIdReading"/>).</summary>
internal static class HandshakeIdCheck
{
    public static RtmsProduct ProductOf(SimulatedProduct product) => product switch
    {
        SimulatedProduct.Webinar => RtmsProduct.Webinar,
        SimulatedProduct.VideoSdk => RtmsProduct.VideoSdk,
        SimulatedProduct.ContactCenter => RtmsProduct.ContactCenter,
        SimulatedProduct.Phone => RtmsProduct.Phone,
        _ => RtmsProduct.Meeting,
    };

    /// <summary>Null when the handshake names this instance under a key the reading accepts; else why not, and the status.</summary>
    public static (StatusCode Status, string Reason)? Refusal(HandshakeRequest request, SimulatedProduct product, string instanceId, HandshakeIdReading reading)
    {
        var own = InstanceIdKeys.For(ProductOf(product));
        var present = InstanceIdKeys.Present(request).ToList();
        foreach (var (key, value) in present)
        {
            if (key != own && key != InstanceIdKeys.MeetingUuid)
            {
                return (StatusCode.InvalidPayload, $"{key} is not an id of a {product} stream (expected {own})");
            }
            if (value != instanceId)
            {
                return (StatusCode.InvalidSignature, $"{key} does not name this stream's instance");
            }
        }
        var hasOwn = present.Any(p => p.Key == own);
        var hasMeetingUuid = present.Any(p => p.Key == InstanceIdKeys.MeetingUuid);
        var accepted = reading switch
        {
            HandshakeIdReading.ProductKey => hasOwn,
            HandshakeIdReading.MeetingUuid => hasMeetingUuid,
            _ => hasOwn || hasMeetingUuid,
        };
        var expected = reading switch
        {
            HandshakeIdReading.ProductKey => own,
            HandshakeIdReading.MeetingUuid => InstanceIdKeys.MeetingUuid,
            _ => own == InstanceIdKeys.MeetingUuid ? own : $"{own} or {InstanceIdKeys.MeetingUuid}",
        };
        return accepted ? null : (StatusCode.InvalidPayload, $"the handshake has no {expected}");
    }
}
