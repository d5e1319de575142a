using System.Diagnostics;
using System.Globalization;
using System.Text;
using Grpc.Net.Client;
using RtmsGateway.Api.V1;

namespace RtmsGateway.Testing;

/// <summary>
/// One gateway as a real child process (so it can be killed with SIGKILL or drained with SIGTERM) on free loopback
/// ports, configured by command-line settings exactly as an operator would. Ready when <c>/readyz</c> answers 200.
/// </summary>
public sealed class GatewayReplica : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    /// <summary>With this setting (a PEM certificate, and <c>:KeyPath</c>) the gRPC endpoint (and the advertised relay address) speaks TLS.</summary>
    public const string GrpcCertificateSetting = "Kestrel:Endpoints:Grpc:Certificate:Path";

    private GatewayReplica(string replicaId, Process process, string grpcScheme, int grpcPort, int httpPort)
    {
        ReplicaId = replicaId;
        _process = process;
        GrpcUrl = new Uri($"{grpcScheme}://127.0.0.1:{grpcPort}");
        HttpUrl = new Uri($"http://127.0.0.1:{httpPort}");
        Channel = GrpcChannel.ForAddress(GrpcUrl);
        Client = new RtmsGatewayService.RtmsGatewayServiceClient(Channel);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string ReplicaId { get; }

    public Uri GrpcUrl { get; }

    public Uri HttpUrl { get; }

    public Uri WebhookUrl => new(HttpUrl, "/webhooks/zoom");

    public GrpcChannel Channel { get; }

    public RtmsGatewayService.RtmsGatewayServiceClient Client { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once the process exited (137 after SIGKILL, 143 after an unhandled SIGTERM).</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public int ProcessId => _process.Id;

    /// <summary>CPU time the process used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Resident memory of the process, bytes.</summary>
    public long ResidentBytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of <see cref="Output"/>.</summary>
    public string OutputTail(int lines)
    {
        var all = Output.Split('\n');
        return string.Join('\n', all[Math.Max(0, all.Length - lines)..]);
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts a replica on free ports, retrying when another test grabbed a port between choosing and binding it. Tests
    /// run many replicas on a small machine and use the workstation GC; the benchmark runs the production default, the
    /// server GC (<paramref name="serverGc"/>).
    /// </summary>
    /// <param name="gatewayDll">The gateway build to run (the benchmark's baseline mode runs another commit's); default the
    /// working tree's Release build.</param>
    public static async Task<GatewayReplica> StartAsync(string replicaId, IDictionary<string, string?> settings, bool serverGc = false, string? gatewayDll = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var replica = Launch(replicaId, settings, serverGc, gatewayDll ?? RepositoryPaths.GatewayDll);
            try
            {
                await replica.WaitReadyAsync();
                return replica;
            }
            catch (InvalidOperationException) when (attempt < 5 && replica.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await replica.DisposeAsync();
            }
            catch
            {
                // Not ready in time, or exited: never leave the process behind.
                await replica.DisposeAsync();
                throw;
            }
        }
    }

    private static GatewayReplica Launch(string replicaId, IDictionary<string, string?> settings, bool serverGc, string gatewayDll)
    {
        var grpcPort = FreePort.Next();
        var httpPort = FreePort.Next();
        var scheme = settings.ContainsKey(GrpcCertificateSetting) ? "https" : "http";
        var config = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Grpc:Url"] = $"{scheme}://127.0.0.1:{grpcPort}",
            ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{httpPort}",
            ["Gateway:ReplicaId"] = replicaId,
            ["Gateway:AdvertisedAddress"] = $"{scheme}://127.0.0.1:{grpcPort}",
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            config[key] = value;
        }
        // RTMS_GATEWAY_CPUS (e.g. "1") pins the replica to those CPUs with taskset: the benchmark gives the gateway a core
        // of its own, apart from the load generator.
        var cpus = Environment.GetEnvironmentVariable("RTMS_GATEWAY_CPUS");
        var info = new ProcessStartInfo(string.IsNullOrEmpty(cpus) ? "dotnet" : "taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!string.IsNullOrEmpty(cpus))
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(cpus);
            info.ArgumentList.Add("dotnet");
        }
        info.ArgumentList.Add(gatewayDll);
        foreach (var (key, value) in config)
        {
            info.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"--{key}={value}"));
        }
        info.Environment["DOTNET_gcServer"] = serverGc ? "1" : "0";
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        return new GatewayReplica(replicaId, process, scheme, grpcPort, httpPort);
    }

    /// <summary>SIGKILL: the process dies without draining, as on a node failure.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>SIGTERM: Kubernetes' graceful stop. Returns when the process exited.</summary>
    public async Task TerminateAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Whether <c>/readyz</c> answers 200 now (false while draining, and once the process is gone).</summary>
    public async Task<bool> IsReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = HttpUrl, Timeout = timeout };
        try
        {
            return (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = HttpUrl, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"Replica {ReplicaId} exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                if ((await http.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Replica {ReplicaId} not ready in 30 s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Kill();
        _process.Dispose();
        await Task.CompletedTask;
    }
}
