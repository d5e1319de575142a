using Microsoft.Extensions.Options;

namespace RtmsGateway.Configuration;

/// <summary>JWT mode needs a way to validate tokens and at least one consumer policy.</summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (options.Mode != AuthMode.Jwt)
        {
            return ValidateOptionsResult.Success;
        }
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.Jwt.Authority) && (options.Jwt.SigningKey?.Length ?? 0) < 32)
        {
            failures.Add("Auth:Mode=Jwt needs Auth:Jwt:Authority or an Auth:Jwt:SigningKey of at least 32 characters.");
        }
        if (options.Consumers.Count == 0)
        {
            failures.Add("Auth:Mode=Jwt needs at least one Auth:Consumers entry (use \"*\" for any authenticated consumer).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
