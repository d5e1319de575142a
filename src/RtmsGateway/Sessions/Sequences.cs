namespace RtmsGateway.Sessions;

/// <summary>
/// Sequence numbers of the public API: <c>epoch * 10^12 + n</c>, so they keep increasing when another replica (with a
/// higher fencing epoch) takes a session over, and a reader can tell which epoch a sequence belongs to.
/// </summary>
public static class Sequences
{
    public const ulong EpochStride = 1_000_000_000_000;

    public static ulong First(ulong epoch) => (epoch * EpochStride) + 1;

    public static ulong EpochOf(ulong sequence) => sequence / EpochStride;
}
