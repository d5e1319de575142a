using RtmsGateway.Api.V1;

namespace RtmsGateway.Client.Examples;

/// <summary>What every example reads from its command line and environment.</summary>
internal sealed class ExampleOptions
{
    private readonly Dictionary<string, string> _values;

    private ExampleOptions(Dictionary<string, string> values) => _values = values;

    public static ExampleOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }
        return new ExampleOptions(values);
    }

    public string? this[string name] => _values.GetValueOrDefault(name);

    /// <summary>The session: --meeting (its newest stream, waiting for it to start) or --stream.</summary>
    public SubscriptionTarget Target => new()
    {
        InstanceId = this["meeting"] ?? string.Empty,
        RtmsStreamId = this["stream"] ?? string.Empty,
        WaitForStart = true,
    };

    /// <summary>A client of --addresses (or $RTMS_GATEWAY_ADDRESSES), with the bearer token read on every attempt.</summary>
    public GatewayClient Connect()
    {
        var options = new GatewayClientOptions { BearerToken = async ct => await TokenAsync(ct) };
        var addresses = this["addresses"] ?? Environment.GetEnvironmentVariable("RTMS_GATEWAY_ADDRESSES") ?? "http://127.0.0.1:50051";
        foreach (var address in addresses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            options.Addresses.Add(new Uri(address));
        }
        return new GatewayClient(options);
    }

    public int Int(string name, int fallback) => this[name] is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    public static int Usage(string problem)
    {
        Console.Error.WriteLine($"{problem}\nusage: <transcripts|wav|keyframes> --meeting <uuid> | --stream <id> [--addresses http://host:port,...] [--token-file <path>] [--out <file.wav>] [--dir <folder>] [--limit <n>] [--count <n>]");
        return 2;
    }

    private async Task<string?> TokenAsync(CancellationToken ct) =>
        this["token-file"] is { } file ? (await File.ReadAllTextAsync(file, ct)).Trim() : Environment.GetEnvironmentVariable("RTMS_GATEWAY_TOKEN");
}
