using RtmsGateway.Api.V1;

namespace RtmsGateway.Sessions;

/// <summary>One step of a subscriber's backlog: a retained item, or the <see cref="Gap"/> that announces the hole before
/// the next one.</summary>
internal readonly struct BacklogEntry<T>
{
    private BacklogEntry(ChannelItem<T> item, Gap? gap)
    {
        Item = item;
        Gap = gap;
    }

    public ChannelItem<T> Item { get; }

    /// <summary>Set when this entry is a gap (then <see cref="Item"/> is empty).</summary>
    public Gap? Gap { get; }

    public static BacklogEntry<T> Of(ChannelItem<T> item) => new(item, null);

    public static BacklogEntry<T> Of(Gap gap) => new(default, gap);
}
