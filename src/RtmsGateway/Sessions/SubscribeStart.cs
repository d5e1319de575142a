namespace RtmsGateway.Sessions;

/// <summary>Where a subscription begins.</summary>
internal readonly record struct SubscribeStart(bool FromStart, ulong? ResumeAfter)
{
    public static SubscribeStart Live => new(false, null);
}
