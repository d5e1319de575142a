using System.Text.Json.Serialization;

namespace RtmsGateway.Webhooks;

/// <summary>The JSON body of a refused webhook: a stable code and a human-readable message.</summary>
internal sealed record WebhookError([property: JsonPropertyName("error")] string Error, [property: JsonPropertyName("message")] string Message);
