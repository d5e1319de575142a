using Microsoft.Extensions.Options;

namespace RtmsGateway.Configuration;

/// <summary>JWT mode needs a way to validate tokens, mTLS mode a CA to validate certificates; both at least one consumer policy.</summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (options.Mode == AuthMode.None)
        {
            return ValidateOptionsResult.Success;
        }
        var failures = new List<string>();
        if (options.Mode == AuthMode.Jwt && string.IsNullOrEmpty(options.Jwt.Authority) && (options.Jwt.SigningKey?.Length ?? 0) < 32)
        {
            failures.Add("Auth:Mode=Jwt needs Auth:Jwt:Authority or an Auth:Jwt:SigningKey of at least 32 characters.");
        }
        if (options.Mode == AuthMode.Mtls)
        {
            if (options.Mtls.ClientCaPath is not { Length: > 0 } ca || !File.Exists(ca))
            {
                failures.Add("Auth:Mode=Mtls needs Auth:Mtls:ClientCaPath, a PEM file of the CA that issues consumer certificates.");
            }
            if ((options.Mtls.RelayCertificatePath is null) != (options.Mtls.RelayKeyPath is null))
            {
                failures.Add("Auth:Mtls:RelayCertificatePath and Auth:Mtls:RelayKeyPath go together.");
            }
        }
        if (options.Consumers.Count == 0)
        {
            failures.Add($"Auth:Mode={options.Mode} needs at least one Auth:Consumers entry (use \"*\" for any authenticated consumer).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
