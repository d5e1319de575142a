using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Rtms;

/// <summary>What identifies an RTMS stream to Zoom: the instance id (meeting UUID etc.), the stream id and the signaling URL;
/// and the product that started it (its event types differ).</summary>
internal sealed record RtmsStreamTarget(string InstanceId, string StreamId, Uri SignalingUrl, RtmsProduct Product = RtmsProduct.Meeting);
