using RtmsGateway.Api.V1;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>
/// Each product's stream end to end against a simulator that reads the handshake's instance id one way only: under the
/// product's own key (as Zoom's SDK writes it: <c>webinar_uuid</c>, <c>session_id</c>, <c>engagement_id</c>,
/// <c>call_id</c>) or under <c>meeting_uuid</c> (as the API reference documents it). The gateway writes both, so it streams
/// either way; before, it wrote only <c>meeting_uuid</c> and every non-meeting stream was refused by the first reading,
/// and a <c>phone.rtms_started</c> webhook was refused with 400.
/// </summary>
public sealed class ProductHandshakeKeyTests
{
    [Theory]
    [InlineData(SimulatedProduct.Meeting, HandshakeIdReading.ProductKey, Product.Meeting)]
    [InlineData(SimulatedProduct.Webinar, HandshakeIdReading.ProductKey, Product.Webinar)]
    [InlineData(SimulatedProduct.VideoSdk, HandshakeIdReading.ProductKey, Product.VideoSdk)]
    [InlineData(SimulatedProduct.ContactCenter, HandshakeIdReading.ProductKey, Product.ContactCenter)]
    [InlineData(SimulatedProduct.Phone, HandshakeIdReading.ProductKey, Product.Phone)]
    [InlineData(SimulatedProduct.Webinar, HandshakeIdReading.MeetingUuid, Product.Webinar)]
    [InlineData(SimulatedProduct.Phone, HandshakeIdReading.MeetingUuid, Product.Phone)]
    public async Task Every_product_streams_whichever_key_zoom_reads_the_instance_id_from(SimulatedProduct product, HandshakeIdReading reading, Product expected)
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        var stream = await gateway.StartMeetingAsync(new MeetingOptions { Product = product, HandshakeIdReading = reading, Participants = 2 });

        var session = (await gateway.Client.ListSessionsAsync(new ListSessionsRequest())).Sessions.Single();
        Assert.Equal((expected, stream.InstanceId), (session.Product, session.InstanceId));
        using var audio = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { RtmsStreamId = stream.StreamId } });
        var frames = (await StreamReading.ReadAsync(audio.ResponseStream, 10, r => r.Frame is not null)).Where(r => r.Frame is not null).ToList();
        Assert.Equal(10, frames.Count);
        Assert.Equal(0, stream.Counters.SignalingRefused + stream.Counters.MediaRefused);
    }
}
