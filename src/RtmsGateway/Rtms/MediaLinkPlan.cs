using RtmsGateway.Protocol;

namespace RtmsGateway.Rtms;

/// <summary>One media socket to open: the media types it asks for, and Zoom's URL for them.</summary>
internal sealed record MediaLinkPlan(MediaDataType MediaType, Uri Url);
