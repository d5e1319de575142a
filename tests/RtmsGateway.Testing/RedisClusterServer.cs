using System.Diagnostics;
using System.Globalization;

namespace RtmsGateway.Testing;

/// <summary>
/// A real Redis Cluster on loopback: <c>masters</c> cluster-enabled redis-server processes (plus optional replicas) on
/// free ports, each with its cluster config file in a temporary directory and no persistence, joined with
/// <c>redis-cli --cluster create</c>. Ready when every node reports <c>cluster_state:ok</c>. Can restart every node empty
/// (the cluster keeps its topology, the data is gone), move one hash slot to another master mid-test, and fail a master
/// over to its replica.
/// </summary>
public sealed class RedisClusterServer : IRedisUnderTest
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);

    private readonly string _directory;
    private readonly List<Node> _nodes;

    private RedisClusterServer(string directory, List<Node> nodes)
    {
        _directory = directory;
        _nodes = nodes;
    }

    public IReadOnlyList<int> Ports => [.. _nodes.Select(n => n.Port)];

    public string ConnectionString =>
        string.Join(",", _nodes.Select(n => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{n.Port}")))
        + ",abortConnect=false,connectRetry=1,connectTimeout=1000,syncTimeout=2000";

    public static async Task<RedisClusterServer> StartAsync(int masters = 3, int replicasPerMaster = 0)
    {
        var directory = Directory.CreateTempSubdirectory("rtms-redis-cluster-").FullName;
        var nodes = Enumerable.Range(0, masters * (1 + replicasPerMaster)).Select(_ => new Node(FreePort.Next(), FreePort.Next())).ToList();
        var cluster = new RedisClusterServer(directory, nodes);
        try
        {
            await Task.WhenAll(nodes.Select(cluster.StartNodeOnFreePortsAsync));
            var create = await ExternalProcess.RunAsync("redis-cli", [
                "--cluster", "create", .. nodes.Select(n => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{n.Port}")),
                "--cluster-replicas", replicasPerMaster.ToString(CultureInfo.InvariantCulture), "--cluster-yes"], CommandTimeout);
            if (create.ExitCode != 0)
            {
                throw new InvalidOperationException($"redis-cli --cluster create failed: {create}");
            }
            await cluster.WaitUntilReadyAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task RestartAsync(Func<Task>? whileDown = null)
    {
        foreach (var node in _nodes)
        {
            RedisProcess.Kill(node.Process);
            node.Process = null;
        }
        if (whileDown is not null)
        {
            await whileDown();
        }
        await Task.WhenAll(_nodes.Select(StartNodeAsync));
        await WaitUntilReadyAsync();
    }

    /// <summary>Moves <paramref name="slot"/> from its master to another one, keys included (the CLUSTER SETSLOT / MIGRATE
    /// procedure redis-cli's reshard runs), while clients keep using it: they follow ASK, then MOVED.</summary>
    /// <returns>The port of the master that owns the slot now.</returns>
    public async Task<int> MigrateSlotAsync(int slot)
    {
        var masters = await MastersAsync();
        var source = masters.Single(m => m.Slots.Any(r => r.From <= slot && slot <= r.To));
        var target = masters.First(m => m.Port != source.Port);
        var s = slot.ToString(CultureInfo.InvariantCulture);
        await CliAsync(target.Port, "cluster", "setslot", s, "importing", source.Id);
        await CliAsync(source.Port, "cluster", "setslot", s, "migrating", target.Id);
        while (true)
        {
            var keys = (await CliAsync(source.Port, "cluster", "getkeysinslot", s, "100")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (keys.Length == 0)
            {
                break;
            }
            await CliAsync(source.Port, ["migrate", "127.0.0.1", target.Port.ToString(CultureInfo.InvariantCulture), "", "0", "5000", "REPLACE", "KEYS", .. keys]);
        }
        // The target first, so the slot is never owned by nobody (the order redis-cli uses).
        await CliAsync(target.Port, "cluster", "setslot", s, "node", target.Id);
        await CliAsync(source.Port, "cluster", "setslot", s, "node", target.Id);
        foreach (var other in masters.Where(m => m.Port != source.Port && m.Port != target.Port))
        {
            await CliAsync(other.Port, "cluster", "setslot", s, "node", target.Id);
        }
        await WaitUntilReadyAsync();
        return target.Port;
    }

    /// <summary>The slot of <paramref name="key"/> (CLUSTER KEYSLOT).</summary>
    public async Task<int> KeySlotAsync(string key) =>
        int.Parse((await CliAsync(_nodes[0].Port, "cluster", "keyslot", key)).Trim(), CultureInfo.InvariantCulture);

    /// <summary>The port of the master that serves <paramref name="slot"/>.</summary>
    public async Task<int> MasterOfAsync(int slot) =>
        (await MastersAsync()).Single(m => m.Slots.Any(r => r.From <= slot && slot <= r.To)).Port;

    /// <summary>Promotes a replica of the master serving <paramref name="slot"/> (CLUSTER FAILOVER: coordinated, no writes lost).</summary>
    /// <returns>The port of the new master.</returns>
    public async Task<int> FailOverAsync(int slot)
    {
        var master = (await MastersAsync()).Single(m => m.Slots.Any(r => r.From <= slot && slot <= r.To));
        var replica = (await NodesAsync()).First(n => n.MasterId == master.Id);
        await CliAsync(replica.Port, "cluster", "failover");
        var deadline = DateTime.UtcNow + CommandTimeout;
        while (await MasterOfAsync(slot) != replica.Port)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the replica on {replica.Port} did not take slot {slot} over");
            }
            await Task.Delay(50);
        }
        await WaitUntilReadyAsync();
        return replica.Port;
    }

    /// <summary>Starts a new node, on other free ports if another process took the chosen ones meanwhile.</summary>
    private async Task StartNodeOnFreePortsAsync(Node node)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartNodeAsync(node);
                return;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                node.Port = FreePort.Next();
                node.BusPort = FreePort.Next();
            }
        }
    }

    private async Task StartNodeAsync(Node node) =>
        node.Process = await RedisProcess.StartAsync(node.Port, [
            "--cluster-enabled", "yes",
            "--cluster-config-file", Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture, $"nodes-{node.Port}.conf")),
            "--cluster-port", node.BusPort.ToString(CultureInfo.InvariantCulture),
            "--cluster-node-timeout", "2000",
            "--dir", _directory,
        ]);

    /// <summary>Every node says <c>cluster_state:ok</c> and agrees on the whole slot map.</summary>
    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + CommandTimeout;
        while (true)
        {
            var states = await Task.WhenAll(_nodes.Select(n => CliAsync(n.Port, "cluster", "info")));
            if (states.All(s => s.Contains("cluster_state:ok", StringComparison.Ordinal) && s.Contains("cluster_slots_ok:16384", StringComparison.Ordinal)))
            {
                var check = await ExternalProcess.RunAsync("redis-cli", ["--cluster", "check", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{_nodes[0].Port}")], CommandTimeout);
                if (check.ExitCode == 0 && !check.Output.Contains("[WARNING]", StringComparison.Ordinal))
                {
                    return;
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the Redis Cluster did not become ready:\n" + string.Join("\n", states));
            }
            await Task.Delay(50);
        }
    }

    private async Task<List<ClusterNode>> MastersAsync() => [.. (await NodesAsync()).Where(n => n.IsMaster && n.Slots.Count > 0)];

    /// <summary>CLUSTER NODES, parsed: id, port, role, master id, slot ranges.</summary>
    private async Task<List<ClusterNode>> NodesAsync()
    {
        var text = await CliAsync(_nodes[0].Port, "cluster", "nodes");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line =>
        {
            var fields = line.Split(' ');
            var port = int.Parse(fields[1][(fields[1].IndexOf(':', StringComparison.Ordinal) + 1)..fields[1].IndexOf('@', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            var slots = fields.Skip(8).Where(f => !f.StartsWith('[')).Select(f =>
            {
                var parts = f.Split('-');
                var from = int.Parse(parts[0], CultureInfo.InvariantCulture);
                return (From: from, To: parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : from);
            }).ToList();
            return new ClusterNode(fields[0], port, fields[2].Contains("master", StringComparison.Ordinal), fields[3], slots);
        })];
    }

    private static Task<string> CliAsync(int port, params string[] arguments) => CliAsync(port, (IEnumerable<string>)arguments);

    private static async Task<string> CliAsync(int port, IEnumerable<string> arguments)
    {
        var result = await ExternalProcess.RunAsync("redis-cli", ["-p", port.ToString(CultureInfo.InvariantCulture), .. arguments], CommandTimeout);
        if (result.ExitCode != 0 || result.Output.StartsWith("ERR", StringComparison.Ordinal) || result.Output.StartsWith("(error)", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"redis-cli -p {port} {string.Join(' ', arguments)}: {result}");
        }
        return result.Output;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            RedisProcess.Kill(node.Process);
            node.Process = null;
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory: best effort.
        }
        return ValueTask.CompletedTask;
    }

    private sealed class Node(int port, int busPort)
    {
        public int Port { get; set; } = port;

        public int BusPort { get; set; } = busPort;

        public Process? Process { get; set; }
    }

    private sealed record ClusterNode(string Id, int Port, bool IsMaster, string MasterId, List<(int From, int To)> Slots);
}
