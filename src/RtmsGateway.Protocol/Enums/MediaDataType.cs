namespace RtmsGateway.Protocol;

/// <summary>MEDIA_DATA_TYPE bitmask (<c>media_type</c>, §4.2). <see cref="All"/> is a distinct value, not the OR of the others.</summary>
[Flags]
public enum MediaDataType
{
    None = 0,
    Audio = 1,
    Video = 2,
    Deskshare = 4,
    Transcript = 8,
    Chat = 16,
    All = 32,
}
