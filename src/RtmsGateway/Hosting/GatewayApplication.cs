namespace RtmsGateway.Hosting;

/// <summary>Builds the gateway host: the same composition for <c>Program</c>, tests and benchmarks.</summary>
public static class GatewayApplication
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddRtmsGateway(builder.Configuration);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseAuthentication();
        app.MapRtmsGateway();
        return app;
    }
}
