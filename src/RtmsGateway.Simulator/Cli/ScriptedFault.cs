using System.Globalization;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator.Cli;

/// <summary>
/// One <c>--fault AT:KIND[=ARG][@MEETING]</c> of the CLI script, e.g. <c>5s:drop-signaling</c>, <c>10s:stop=6@0</c>,
/// <c>3s:drop-media=audio</c>. Without <c>@MEETING</c> (a 0-based index) it applies to every meeting.
/// </summary>
internal sealed record ScriptedFault(TimeSpan At, string Kind, string? Argument, int? Meeting)
{
    public const string Kinds = "drop-signaling, drop-media[=audio|video|deskshare|transcript], stop-pings[=signaling|media], resume-pings, " +
        "malformed[=signaling], bad-base64, fragment[=off], binary[=off], duplicate, pause, resume, failover, stop[=REASON], " +
        "join[=NAME], leave, share, unshare, mute, unmute, video-off, video-on";

    private static readonly HashSet<string> Known =
    [
        "drop-signaling", "drop-media", "stop-pings", "resume-pings", "malformed", "bad-base64", "fragment", "binary", "duplicate",
        "pause", "resume", "failover", "stop", "join", "leave", "share", "unshare", "mute", "unmute", "video-off", "video-on",
    ];

    public static ScriptedFault Parse(string text)
    {
        // AT may itself contain colons (00:00:05): KIND starts after the first colon followed by a letter.
        var colon = -1;
        for (var i = 0; i < text.Length - 1 && colon < 0; i++)
        {
            if (text[i] == ':' && char.IsAsciiLetter(text[i + 1]))
            {
                colon = i;
            }
        }
        if (colon <= 0)
        {
            throw new FormatException($"--fault wants AT:KIND[=ARG][@MEETING], got '{text}'");
        }
        var at = CliArguments.ParseDuration(text[..colon]);
        var rest = text[(colon + 1)..];
        int? meeting = null;
        var atSign = rest.LastIndexOf('@');
        if (atSign >= 0)
        {
            meeting = int.Parse(rest[(atSign + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture);
            rest = rest[..atSign];
        }
        var equals = rest.IndexOf('=', StringComparison.Ordinal);
        var kind = equals >= 0 ? rest[..equals] : rest;
        var argument = equals >= 0 ? rest[(equals + 1)..] : null;
        if (!Known.Contains(kind))
        {
            throw new FormatException($"unknown fault '{kind}' (known: {Kinds})");
        }
        return new ScriptedFault(at, kind, argument, meeting);
    }

    public Task ApplyAsync(SimulatedMeeting meeting, CancellationToken ct)
    {
        var faults = meeting.Faults;
        switch (Kind)
        {
            case "drop-signaling":
                return faults.DropSignalingAsync(ct);
            case "drop-media":
                return faults.DropMediaAsync(Argument is { Length: > 0 } type ? Enum.Parse<MediaDataType>(type, ignoreCase: true) : null);
            case "stop-pings":
                faults.SuppressKeepAlives(signaling: Argument is null or "" or "signaling" or "both", media: Argument is null or "" or "media" or "both");
                return Task.CompletedTask;
            case "resume-pings":
                faults.SuppressKeepAlives(signaling: false, media: false);
                return Task.CompletedTask;
            case "malformed":
                return faults.SendMalformedFrameAsync(onSignaling: Argument == "signaling");
            case "bad-base64":
                return faults.SendInvalidBase64Async();
            case "fragment":
                faults.FragmentFrames = Argument != "off";
                return Task.CompletedTask;
            case "binary":
                faults.BinaryFrames = Argument != "off";
                return Task.CompletedTask;
            case "duplicate":
                faults.RejectNextSignalingAsDuplicate();
                return Task.CompletedTask;
            case "pause":
                return faults.PauseAsync();
            case "resume":
                return faults.ResumeAsync();
            case "failover":
                return faults.FailoverAsync(ct);
            case "stop":
                return meeting.StopAsync(Argument is { Length: > 0 } reason ? Enum.Parse<StopReason>(reason, ignoreCase: true) : StopReason.HostTriggered, ct);
            case "join":
                return meeting.ParticipantJoinAsync(Argument is { Length: > 0 } name ? name : "Guest");
            case "leave":
                return meeting.Participants is [.., var last] ? meeting.ParticipantLeaveAsync(last.UserId) : Task.CompletedTask;
            case "share":
                return meeting.StartSharingAsync();
            case "unshare":
                return meeting.StopSharingAsync();
            case "mute" or "unmute":
                return Task.WhenAll(meeting.Participants.Select(p => meeting.SetMutedAsync(p.UserId, Kind == "mute")));
            default:
                return Task.WhenAll(meeting.Participants.Select(p => meeting.SetVideoAsync(p.UserId, Kind == "video-on")));
        }
    }

    public override string ToString() => $"{At}: {Kind}{(Argument is null ? string.Empty : "=" + Argument)}{(Meeting is { } m ? $" on meeting {m}" : " on every meeting")}";
}
