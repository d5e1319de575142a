using RtmsGateway.Simulator;

namespace RtmsGateway.Tests.Chaos;

/// <summary>A simulated meeting of the run, with what the schedule did to it and the consumers reading it.</summary>
internal sealed class ChaosMeeting(string name, SimulatedMeeting simulated)
{
    private readonly List<ChaosConsumer> _consumers = [];

    public string Name { get; } = name;

    public SimulatedMeeting Simulated { get; } = simulated;

    public string StreamId => Simulated.StreamId;

    /// <summary>The schedule stopped it: SessionEnded + OK (or NOT_FOUND afterwards) is the right end of its calls.</summary>
    public bool StoppedBySchedule { get; set; }

    /// <summary>The gateway lost it (never recovered; already a violation): the run stops checking it and replaces it.</summary>
    public bool Abandoned { get; set; }

    public bool IsLive => !StoppedBySchedule && !Abandoned;

    public IReadOnlyList<ChaosConsumer> Consumers
    {
        get
        {
            lock (_consumers)
            {
                return [.. _consumers];
            }
        }
    }

    public void Add(ChaosConsumer consumer)
    {
        lock (_consumers)
        {
            _consumers.Add(consumer);
        }
    }

    public override string ToString() => $"{Name} ({StreamId[..8]})";
}
