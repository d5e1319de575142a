using System.Text.Json.Serialization;

namespace RtmsGateway.Cluster;

/// <summary>Source-generated JSON for what replicas send each other through Redis.</summary>
[JsonSerializable(typeof(ForwardedSessionCommand))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;
