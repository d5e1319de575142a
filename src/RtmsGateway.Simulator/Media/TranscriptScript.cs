namespace RtmsGateway.Simulator;

/// <summary>What simulated participants say (transcript text), cycled.</summary>
internal static class TranscriptScript
{
    public static readonly IReadOnlyList<string> Default =
    [
        "Good morning everyone, thanks for joining.",
        "Let's start with the status of the release.",
        "The gateway is handling all live meetings now.",
        "Latency looks good on the dashboards.",
        "Can you share the numbers from yesterday?",
        "Sure, I will post them in the channel.",
        "Any questions before we move on?",
        "Let's take the next item on the agenda.",
    ];
}
