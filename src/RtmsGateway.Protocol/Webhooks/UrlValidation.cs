namespace RtmsGateway.Protocol.Webhooks;

/// <summary>
/// The <c>endpoint.url_validation</c> answer (§2.4): <c>{"plainToken": t, "encryptedToken": hex(HMAC-SHA256(secret, t))}</c>.
/// Because the answer is an HMAC oracle under the same key as event signatures, tokens that could form a signed message
/// (containing ':' or white space, or longer than <see cref="MaxPlainTokenLength"/>) are refused.
/// </summary>
public static class UrlValidation
{
    public const string EventName = "endpoint.url_validation";
    public const int MaxPlainTokenLength = 64;

    public static bool IsAcceptableToken(string? plainToken)
    {
        if (string.IsNullOrEmpty(plainToken) || plainToken.Length > MaxPlainTokenLength)
        {
            return false;
        }
        foreach (var c in plainToken)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '-' or '_' or '.'))
            {
                return false;
            }
        }
        return true;
    }

    public static UrlValidationResponse CreateResponse(string secretToken, string plainToken)
    {
        if (!IsAcceptableToken(plainToken))
        {
            throw new ArgumentException("plainToken is empty, too long or has characters outside base64/base64url.", nameof(plainToken));
        }
        return new UrlValidationResponse(plainToken, HmacHex.Compute(secretToken, plainToken));
    }
}
