using System.Reflection;
using Microsoft.Extensions.Logging;
using RtmsGateway.Hosting;

namespace RtmsGateway.Tests.Architecture;

/// <summary>A log event id names one event: dashboards and alerts select on it.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void No_log_event_id_is_used_twice()
    {
        var uses = typeof(GatewayApplication).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: $"{m.DeclaringType!.Name}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .ToList();
        Assert.NotEmpty(uses);
        var twice = uses.GroupBy(x => x.Attribute!.EventId).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => x.Method))}").ToList();
        Assert.Empty(twice);
    }
}
