using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator.Tests;

/// <summary>The simulator is strict about the handshake's instance id key where Zoom would be: a key of another product,
/// or a key that names another instance, is refused in every reading; which key must be present depends on the reading.</summary>
public sealed class HandshakeIdCheckTests
{
    private static SignalingHandshakeRequest Request(Action<SignalingHandshakeRequest> ids)
    {
        var request = new SignalingHandshakeRequest { RtmsStreamId = "s", Signature = "x" };
        ids(request);
        return request;
    }

    private static StatusCode? Check(SignalingHandshakeRequest request, SimulatedProduct product, HandshakeIdReading reading) =>
        HandshakeIdCheck.Refusal(request, product, "inst", reading)?.Status;

    [Theory]
    [InlineData(HandshakeIdReading.Either)]
    [InlineData(HandshakeIdReading.ProductKey)]
    [InlineData(HandshakeIdReading.MeetingUuid)]
    public void What_the_gateway_writes_is_accepted_for_every_product_in_every_reading(HandshakeIdReading reading)
    {
        foreach (var product in Enum.GetValues<SimulatedProduct>())
        {
            var request = Request(r => InstanceIdKeys.Set(r, HandshakeIdCheck.ProductOf(product), "inst"));
            Assert.Null(Check(request, product, reading));
        }
    }

    [Fact]
    public void A_key_of_another_product_is_refused()
    {
        Assert.Equal(StatusCode.InvalidPayload, Check(Request(r => r.SessionId = "inst"), SimulatedProduct.Meeting, HandshakeIdReading.Either));
        Assert.Equal(StatusCode.InvalidPayload, Check(Request(r => { r.MeetingUuid = "inst"; r.EngagementId = "inst"; }), SimulatedProduct.Webinar, HandshakeIdReading.Either));
        Assert.Equal(StatusCode.InvalidPayload, Check(Request(r => r.WebinarUuid = "inst"), SimulatedProduct.Phone, HandshakeIdReading.Either));
    }

    [Fact]
    public void A_key_naming_another_instance_is_refused_as_a_bad_signature() =>
        Assert.Equal(StatusCode.InvalidSignature, Check(Request(r => { r.MeetingUuid = "inst"; r.CallId = "other"; }), SimulatedProduct.Phone, HandshakeIdReading.Either));

    [Fact]
    public void Each_reading_requires_its_key()
    {
        var meetingUuidOnly = Request(r => r.MeetingUuid = "inst");
        var ownKeyOnly = Request(r => r.SessionId = "inst");
        Assert.Null(Check(meetingUuidOnly, SimulatedProduct.VideoSdk, HandshakeIdReading.Either));
        Assert.Null(Check(ownKeyOnly, SimulatedProduct.VideoSdk, HandshakeIdReading.Either));
        Assert.Equal(StatusCode.InvalidPayload, Check(meetingUuidOnly, SimulatedProduct.VideoSdk, HandshakeIdReading.ProductKey));
        Assert.Null(Check(ownKeyOnly, SimulatedProduct.VideoSdk, HandshakeIdReading.ProductKey));
        Assert.Null(Check(meetingUuidOnly, SimulatedProduct.VideoSdk, HandshakeIdReading.MeetingUuid));
        Assert.Equal(StatusCode.InvalidPayload, Check(ownKeyOnly, SimulatedProduct.VideoSdk, HandshakeIdReading.MeetingUuid));
        Assert.Equal(StatusCode.InvalidPayload, Check(Request(_ => { }), SimulatedProduct.Meeting, HandshakeIdReading.Either));
    }
}
