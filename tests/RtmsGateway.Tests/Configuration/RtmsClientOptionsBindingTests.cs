using Microsoft.Extensions.Configuration;
using RtmsGateway.Configuration;

namespace RtmsGateway.Tests.Configuration;

/// <summary>Configured event lists replace the defaults (configuration binding appends to arrays that already have items).</summary>
public sealed class RtmsClientOptionsBindingTests
{
    private static RtmsClientOptions Bind(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(RtmsClientOptions.Section).Get<RtmsClientOptions>() ?? new RtmsClientOptions();

    [Fact]
    public void Unset_event_lists_are_the_documented_defaults()
    {
        var options = Bind(new() { ["Rtms:AudioPerSpeaker"] = "true" });
        Assert.Equal([2, 3, 4, 5, 6, 8, 9], options.MeetingEvents);
        Assert.Equal(Enumerable.Range(8, 27), options.ContactCenterEvents); // 8-34, the documented RTMS_ZCC_VOICE_EVENT_TYPE range
    }

    [Fact]
    public void A_configured_event_list_replaces_the_default()
    {
        var options = Bind(new() { ["Rtms:EventTypes:0"] = "2", ["Rtms:ContactCenterEventTypes:0"] = "12", ["Rtms:ContactCenterEventTypes:1"] = "13" });
        Assert.Equal([2], options.MeetingEvents);
        Assert.Equal([12, 13], options.ContactCenterEvents);
    }
}
