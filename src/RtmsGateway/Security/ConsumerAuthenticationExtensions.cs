using System.Security.Cryptography.X509Certificates;
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
    /// <summary>The gRPC endpoint's PEM certificate and key, when it serves TLS from files (they may rotate in place).</summary>
    private static (string Certificate, string Key)? ServerCertificateFiles(IConfiguration configuration)
    {
        var certificate = configuration["Kestrel:Endpoints:Grpc:Certificate:Path"];
        var key = configuration["Kestrel:Endpoints:Grpc:Certificate:KeyPath"];
        return string.IsNullOrEmpty(certificate) || string.IsNullOrEmpty(key) ? null : (certificate, key);
    }

    public static IServiceCollection AddConsumerAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var auth = services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme);
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var mtls = options.Mode == AuthMode.Mtls && options.Mtls.ClientCaPath is { Length: > 0 } ca && File.Exists(ca);
        if (mtls)
        {
            services.AddSingleton(sp => new CertificateTrust(options.Mtls.ClientCaPath!, sp.GetRequiredService<TimeProvider>()));
        }
        var serverCertificate = ServerCertificateFiles(configuration);
        // One HTTPS-defaults callback (Kestrel keeps only the last one set) for both: the server certificate follows its
        // files, and with mTLS every TLS endpoint asks for a client certificate and accepts only ones the CA issued.
        services.AddOptions<KestrelServerOptions>().Configure<IServiceProvider>((kestrel, sp) => kestrel.ConfigureHttpsDefaults(https =>
        {
            if (serverCertificate is { } files)
            {
                var reloading = new ReloadingFiles<X509Certificate2>([files.Certificate, files.Key],
                    () => X509Certificate2.CreateFromPemFile(files.Certificate, files.Key), sp.GetRequiredService<TimeProvider>());
                https.ServerCertificateSelector = (_, _) => reloading.Current;
            }
            if (mtls)
            {
                var trust = sp.GetRequiredService<CertificateTrust>();
                // "Allow", not "require": a gRPC call without one gets a clear UNAUTHENTICATED, and a webhook endpoint
                // served over TLS (Zoom presents no certificate) keeps working.
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                https.ClientCertificateValidation = (certificate, _, _) => trust.IsTrustedClient(certificate);
            }
        }));
        if (mtls)
        {
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
