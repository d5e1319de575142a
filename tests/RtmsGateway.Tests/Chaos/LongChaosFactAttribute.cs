namespace RtmsGateway.Tests.Chaos;

/// <summary>A test that runs only when <c>RTMS_CHAOS_DURATION</c> is set (the long chaos run); skipped otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LongChaosFactAttribute : FactAttribute
{
    public LongChaosFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ChaosSettings.DurationVariable)))
        {
            Skip = $"the long chaos run: set {ChaosSettings.DurationVariable} (e.g. 30m) and optionally {ChaosSettings.SeedVariable}";
        }
    }
}
