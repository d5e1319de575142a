namespace RtmsGateway.Rtms;

/// <summary>What identifies an RTMS stream to Zoom: the instance id (meeting UUID etc.), the stream id and the signaling URL.</summary>
internal sealed record RtmsStreamTarget(string InstanceId, string StreamId, Uri SignalingUrl);
