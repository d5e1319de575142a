using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;

namespace RtmsGateway.Simulation;

/// <summary>
/// With no Zoom credentials configured and simulation not disabled, generates throw-away credentials shared with the
/// embedded simulator, and allows its ws:// URLs on loopback.
/// </summary>
internal sealed class SimulatedZoomCredentials(IOptions<SimulationOptions> simulation) : IPostConfigureOptions<ZoomOptions>
{
    public void PostConfigure(string? name, ZoomOptions options)
    {
        if (options.HasCredentials || simulation.Value.Enabled == false)
        {
            return;
        }
        options.ClientId = "simulated-client";
        options.ClientSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        options.WebhookSecretToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        options.AllowInsecureRtmsUrls = true;
        // The embedded simulator listens on loopback.
        options.RtmsHosts = ["127.0.0.1", "localhost"];
        options.AllowPrivateRtmsAddresses = true;
        options.Simulated = true;
    }
}
