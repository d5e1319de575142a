using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using RtmsGateway.Configuration;

namespace RtmsGateway.Security;

/// <summary>Bearer-token authentication for gRPC consumers (configured only when <c>Auth:Mode</c> is Jwt).</summary>
public static class ConsumerAuthenticationExtensions
{
    public static IServiceCollection AddConsumerAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var auth = services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme);
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
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
