namespace RtmsGateway.Tests.Security;

/// <summary>A test that runs only when <c>RTMS_FLOOD_20K=1</c> is set (the 20 000-connection measurement run, which needs
/// about 1 GiB for the replica and two attacker processes); skipped otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FloodRunFactAttribute : FactAttribute
{
    public const string Variable = "RTMS_FLOOD_20K";

    public FloodRunFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"the 20 000-connection run: set {Variable}=1";
        }
    }
}
