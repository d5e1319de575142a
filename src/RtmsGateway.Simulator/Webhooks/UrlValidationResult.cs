using System.Net;

namespace RtmsGateway.Simulator;

/// <summary>The outcome of an <c>endpoint.url_validation</c> challenge sent to the webhook URL (§2.4).</summary>
/// <param name="Succeeded">HTTP 2xx with the same <c>plainToken</c> and the right <c>encryptedToken</c>.</param>
/// <param name="Status">The HTTP status (0: no answer, or no webhook URL configured).</param>
/// <param name="Detail">What was wrong, or "validated".</param>
public sealed record UrlValidationResult(bool Succeeded, HttpStatusCode Status, string Detail)
{
    /// <summary>The random token sent.</summary>
    public string? PlainToken { get; init; }

    /// <summary>The <c>encryptedToken</c> the endpoint answered, if any.</summary>
    public string? EncryptedToken { get; init; }
}
