using System.Text.Json.Serialization;

namespace RtmsGateway.Ownership;

/// <summary>Source-generated JSON for what replicas store in and send through Redis.</summary>
[JsonSerializable(typeof(SessionRecord))]
[JsonSerializable(typeof(Cluster.ForwardedSessionCommand))]
internal sealed partial class SessionRecordJsonContext : JsonSerializerContext;
