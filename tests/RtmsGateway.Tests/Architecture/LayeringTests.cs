using System.Reflection;
using NetArchTest.Rules;
using RtmsGateway.Hosting;

namespace RtmsGateway.Tests.Architecture;

/// <summary>
/// The gateway's folders depend one way (see shared/design.md): each may use the ones before it in <see cref="Layers"/>,
/// never one after it, so a new cycle (a lower layer calling back up) fails here. Also: RTMS code speaks no public-API type
/// and session code throws no gRPC status: the gRPC layer maps outcomes to status codes.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>Lowest first. Timing, Observability and Configuration are leaves every layer may use.</summary>
    public static readonly string[] Layers =
    [
        "Timing", "Observability", "Configuration", "Rtms", "Ownership", "Sessions", "Webhooks", "Cluster", "Security", "Grpc", "Simulation", "Hosting",
    ];

    private static readonly Assembly Gateway = typeof(GatewayApplication).Assembly;

    public static TheoryData<string> EveryLayer() => [.. Layers];

    [Theory]
    [MemberData(nameof(EveryLayer))]
    public void A_folder_uses_no_folder_above_it(string layer)
    {
        var above = Layers.SkipWhile(l => l != layer).Skip(1).Select(l => $"RtmsGateway.{l}").ToArray();
        if (above.Length == 0)
        {
            return;
        }
        var result = Types.InAssembly(Gateway).That().ResideInNamespace($"RtmsGateway.{layer}").ShouldNot().HaveDependencyOnAny(above).GetResult();
        Assert.True(result.IsSuccessful, $"{layer} uses a layer above it: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void Every_gateway_type_lives_in_a_known_layer()
    {
        var known = Layers.Select(l => $"RtmsGateway.{l}").Append("RtmsGateway.Api").ToArray();
        var strays = Gateway.GetTypes()
            .Where(t => t.Namespace is { } ns && ns.StartsWith("RtmsGateway", StringComparison.Ordinal) && !known.Any(k => ns == k || ns.StartsWith(k + ".", StringComparison.Ordinal)))
            .Select(t => t.FullName)
            .ToList();
        Assert.Empty(strays);
    }

    [Fact]
    public void Rtms_code_speaks_no_public_api_type()
    {
        var result = Types.InAssembly(Gateway).That().ResideInNamespace("RtmsGateway.Rtms").ShouldNot().HaveDependencyOn("RtmsGateway.Api").GetResult();
        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Theory]
    [InlineData("RtmsGateway.Rtms")]
    [InlineData("RtmsGateway.Ownership")]
    [InlineData("RtmsGateway.Sessions")]
    [InlineData("RtmsGateway.Webhooks")]
    [InlineData("RtmsGateway.Cluster")]
    public void Below_the_grpc_layer_nothing_uses_grpc_status_types(string layer)
    {
        var result = Types.InAssembly(Gateway).That().ResideInNamespace(layer).ShouldNot().HaveDependencyOnAny("Grpc.Core", "Grpc.AspNetCore").GetResult();
        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void The_layer_test_detects_a_dependency_that_exists()
    {
        // Guards the test itself: the gRPC layer does use the sessions layer, so the same query must see it.
        var result = Types.InAssembly(Gateway).That().ResideInNamespace("RtmsGateway.Grpc").ShouldNot().HaveDependencyOn("RtmsGateway.Sessions").GetResult();
        Assert.False(result.IsSuccessful);
    }
}
