using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.IdentityModel.Tokens;
using RtmsGateway.Configuration;

namespace RtmsGateway.Security;

/// <summary>Consumer authentication: bearer tokens (<c>Auth:Mode=Jwt</c>) or client certificates (<c>Auth:Mode=Mtls</c>).</summary>
public static class ConsumerAuthenticationExtensions
{
    public static IServiceCollection AddConsumerAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var auth = services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme);
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (options.Mode == AuthMode.Mtls && options.Mtls.ClientCaPath is { Length: > 0 } ca && File.Exists(ca))
        {
            var trust = new CertificateTrust(ca);
            services.AddSingleton(trust);
            // Every TLS endpoint asks for a certificate and accepts only ones the CA issued. "Allow", not "require": a
            // gRPC call without one gets a clear UNAUTHENTICATED, and a webhook endpoint served over TLS (Zoom presents no
            // certificate) keeps working.
            services.Configure<KestrelServerOptions>(kestrel => kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                https.ClientCertificateValidation = (certificate, _, _) => trust.IsTrustedClient(certificate);
            }));
            return services;
        }
        if (options.Mode != AuthMode.Jwt)
        {
            return services;
        }
        auth.AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            if (!string.IsNullOrEmpty(options.Jwt.Authority))
            {
                jwt.Authority = options.Jwt.Authority;
                jwt.Audience = options.Jwt.Audience;
                return;
            }
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = options.Jwt.Issuer,
                ValidAudience = options.Jwt.Audience,
                IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.Jwt.SigningKey ?? string.Empty)),
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        });
        return services;
    }
}
