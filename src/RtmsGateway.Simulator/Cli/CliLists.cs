using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator.Cli;

/// <summary>The comma-separated list options of the command line: wire variants, webhook body styles, app scopes and the
/// webhook redelivery schedule.</summary>
internal static class CliLists
{
    /// <summary><c>--variants</c>: <c>payload-encrypted</c>, <c>session-stop-reason</c>, <c>webinar-meeting-uuid</c>,
    /// <c>string-user-ids</c>, <c>multiple-urls</c>, or <c>all</c>.</summary>
    public static WireVariants Variants(string? text)
    {
        var variants = new WireVariants();
        foreach (var item in Items(text))
        {
            var all = item == "all";
            if (!all && item is not ("payload-encrypted" or "session-stop-reason" or "webinar-meeting-uuid" or "string-user-ids" or "multiple-urls"))
            {
                throw new FormatException($"unknown wire variant '{item}'");
            }
            variants.PayloadEncryptedFlag |= all || item == "payload-encrypted";
            variants.SessionStopAsReason |= all || item == "session-stop-reason";
            variants.WebinarMeetingUuid |= all || item == "webinar-meeting-uuid";
            variants.UserIdsAsStrings |= all || item == "string-user-ids";
            variants.MultipleServerUrls |= all || item == "multiple-urls";
        }
        return variants;
    }

    /// <summary><c>--body-style</c>: <c>whitespace</c>, <c>reordered</c>, <c>non-ascii</c> (combinable), or <c>compact</c>.</summary>
    public static WebhookBodyStyle BodyStyle(string? text)
    {
        var style = WebhookBodyStyle.Compact;
        foreach (var item in Items(text))
        {
            style |= item switch
            {
                "compact" => WebhookBodyStyle.Compact,
                "whitespace" => WebhookBodyStyle.Whitespace,
                "reordered" => WebhookBodyStyle.ReorderedKeys,
                "non-ascii" => WebhookBodyStyle.NonAscii,
                _ => throw new FormatException($"unknown webhook body style '{item}'"),
            };
        }
        return style;
    }

    /// <summary><c>--scopes</c>: <c>audio</c>, <c>video</c>, <c>deskshare</c>, <c>transcript</c>, <c>chat</c>; absent: every type.</summary>
    public static MediaDataType Scopes(string? text)
    {
        if (text is null)
        {
            return AppScopes.Everything;
        }
        var scopes = MediaDataType.None;
        foreach (var item in Items(text))
        {
            scopes |= item switch
            {
                "audio" => MediaDataType.Audio,
                "video" => MediaDataType.Video,
                "deskshare" => MediaDataType.Deskshare,
                "transcript" => MediaDataType.Transcript,
                "chat" => MediaDataType.Chat,
                _ => throw new FormatException($"unknown media scope '{item}'"),
            };
        }
        return scopes;
    }

    /// <summary><c>--redeliver</c>: delays like <c>5s,20s</c>, or <c>zoom</c> (5, 20 and 60 minutes); absent: none.</summary>
    public static IReadOnlyList<TimeSpan> Redeliveries(string? text) =>
        text == "zoom" ? SimulatorOptions.ZoomWebhookRedeliveryDelays : [.. Items(text).Select(CliArguments.ParseDuration)];

    private static string[] Items(string? text) =>
        (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
