using RtmsGateway.Protocol;

namespace RtmsGateway.Rtms;

/// <summary>Why an <see cref="RtmsStreamClient"/> finished.</summary>
internal sealed record RtmsStopResult(StopReason Reason, string Description, bool ByZoom)
{
    public static RtmsStopResult Requested(StopReason reason) => new(reason, Describe(reason), ByZoom: true);

    public static string Describe(StopReason reason) => reason switch
    {
        StopReason.Undefined => "stopped",
        _ when Enum.IsDefined(reason) => System.Text.RegularExpressions.Regex.Replace(reason.ToString(), "(?<=[a-z])([A-Z])", " $1").ToLowerInvariant(),
        _ => $"stop reason {(int)reason}",
    };
}
