using System.Text.Json.Serialization;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Webhooks;

/// <summary>Source-generated JSON for webhook responses.</summary>
[JsonSerializable(typeof(UrlValidationResponse))]
[JsonSerializable(typeof(WebhookError))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
