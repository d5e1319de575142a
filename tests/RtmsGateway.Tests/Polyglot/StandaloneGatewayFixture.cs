using RtmsGateway.Api.V1;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.Polyglot;

/// <summary>
/// The gateway exactly as a newcomer runs it (README command 1): a process with no Zoom credentials, so it starts its
/// embedded simulator and a live meeting. Ready when that meeting is listed as streaming.
/// </summary>
public sealed class StandaloneGatewayFixture : IAsyncLifetime
{
    public GatewayReplica Gateway { get; private set; } = null!;

    public SessionInfo Session { get; private set; } = null!;

    public string GrpcTarget => $"127.0.0.1:{Gateway.GrpcUrl.Port}";

    public async Task InitializeAsync()
    {
        Gateway = await GatewayReplica.StartAsync("standalone", new Dictionary<string, string?>
        {
            ["Simulation:TranscriptInterval"] = "00:00:00.250",
            ["Simulation:KeepAliveInterval"] = "00:00:02",
        });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var sessions = await Gateway.Client.ListSessionsAsync(new ListSessionsRequest());
            if (sessions.Sessions.FirstOrDefault(s => s.State == SessionState.Streaming) is { } live)
            {
                Session = live;
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The embedded simulated meeting never streamed:\n" + Gateway.Output);
            }
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}
