using System.Diagnostics;
using System.Text;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Simulator.Tests;

/// <summary>
/// Zoom writes webhook bodies with JavaScript's JSON.stringify, and its docs tell app developers to verify
/// <c>x-zm-signature</c> over <c>JSON.stringify(req.body)</c>, the parsed and re-serialized body. The simulator's bodies
/// must therefore be exactly what JSON.stringify writes: before, a meeting UUID with '+' (common in base64 ids) was
/// escaped as \u002B and that verification failed. Checked with node's own JSON.stringify.
/// </summary>
public sealed class WebhookEscapingTests
{
    [Fact]
    public async Task A_webhook_body_is_what_json_stringify_writes_so_the_documented_verification_holds()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var (_, started) = await harness.StartMeetingAsync(new MeetingOptions { InstanceId = "ab+c/d<e>&'f==" });

        var raw = Encoding.UTF8.GetString(started.Raw);
        Assert.Contains("ab+c/d<e>&'f==", raw);
        Assert.Equal(raw, await JsonStringifyAsync(raw));
        Assert.Equal(WebhookSignatureResult.Valid, started.Signature);
        Assert.Equal("ab+c/d<e>&'f==", ZoomWebhookParser.Parse(started.Raw).InstanceId);
    }

    /// <summary>JSON.stringify(JSON.parse(body)) as node computes it.</summary>
    private static async Task<string> JsonStringifyAsync(string body)
    {
        using var node = Process.Start(new ProcessStartInfo("node", ["-e", "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>process.stdout.write(JSON.stringify(JSON.parse(s))))"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        })!;
        await node.StandardInput.WriteAsync(body);
        node.StandardInput.Close();
        var output = await node.StandardOutput.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.Equal(0, node.ExitCode);
        return output;
    }
}
