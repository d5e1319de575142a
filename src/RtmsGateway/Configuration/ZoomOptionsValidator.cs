using Microsoft.Extensions.Options;

namespace RtmsGateway.Configuration;

/// <summary>Credentials are required (the simulator fills them in when it runs) and all-or-nothing: a partial set is a deployment mistake, reported at start-up.</summary>
public sealed class ZoomOptionsValidator : IValidateOptions<ZoomOptions>
{
    public ValidateOptionsResult Validate(string? name, ZoomOptions options)
    {
        if (!options.HasCredentials)
        {
            return ValidateOptionsResult.Fail(
                "No Zoom credentials: set Zoom:ClientId, Zoom:ClientSecret and Zoom:WebhookSecretToken (e.g. Zoom__ClientSecret in the environment), or leave Simulation:Enabled unset to run with the embedded simulator.");
        }
        var missing = new List<string>();
        if (string.IsNullOrEmpty(options.ClientId))
        {
            missing.Add("Zoom:ClientId");
        }
        if (string.IsNullOrEmpty(options.ClientSecret))
        {
            missing.Add("Zoom:ClientSecret");
        }
        if (string.IsNullOrEmpty(options.WebhookSecretToken))
        {
            missing.Add("Zoom:WebhookSecretToken");
        }
        return missing.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Zoom credentials are partly configured; also set {string.Join(", ", missing)}.");
    }
}
