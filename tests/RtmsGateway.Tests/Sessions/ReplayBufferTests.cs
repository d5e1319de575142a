using RtmsGateway.Sessions;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.Sessions;

public sealed class ReplayBufferTests
{
    private readonly ManualTimeProvider _time = new();

    private ChannelItem<string> Item(ulong sequence) => new(sequence, "0", $"m{sequence}", _time.GetTimestamp());

    [Fact]
    public void An_unused_buffer_allocates_no_slots_and_grows_only_as_messages_arrive()
    {
        var buffer = new ReplayBuffer<string>(new ReplayLimits(4096, TimeSpan.FromSeconds(30)), _time);
        Assert.Equal(0, buffer.Slots);
        for (var sequence = 1UL; sequence <= 20; sequence++)
        {
            buffer.Add(Item(sequence));
        }
        Assert.InRange(buffer.Slots, 20, 64);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (ulong)i), buffer.After(0).Select(i => i.Sequence));
    }

    [Fact]
    public void Growing_across_the_wrap_point_keeps_order_and_the_capacity_bounds_it()
    {
        var buffer = new ReplayBuffer<string>(new ReplayLimits(40, TimeSpan.FromSeconds(30)), _time);
        for (var sequence = 1UL; sequence <= 100; sequence++)
        {
            buffer.Add(Item(sequence));
            if (sequence == 10)
            {
                // Expire the first ten so the ring's head moves before it has to grow.
                _time.Advance(TimeSpan.FromSeconds(31));
            }
        }
        Assert.Equal(40, buffer.Slots);
        Assert.Equal(Enumerable.Range(61, 40).Select(i => (ulong)i), buffer.After(0).Select(i => i.Sequence));
        Assert.Equal(Enumerable.Range(91, 10).Select(i => (ulong)i), buffer.After(90).Select(i => i.Sequence));
    }

    [Fact]
    public void A_capacity_of_zero_retains_nothing()
    {
        var buffer = new ReplayBuffer<string>(new ReplayLimits(0, TimeSpan.FromSeconds(30)), _time);
        buffer.Add(Item(1));
        Assert.Empty(buffer.After(0));
    }
}
