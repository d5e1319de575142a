using Microsoft.Extensions.Options;
using RtmsGateway.Protocol;

namespace RtmsGateway.Configuration;

/// <summary>Checks the requested media against Zoom's valid combinations before anything dials Zoom.</summary>
public sealed class RtmsClientOptionsValidator : IValidateOptions<RtmsClientOptions>
{
    public ValidateOptionsResult Validate(string? name, RtmsClientOptions options)
    {
        var failures = new List<string>();
        if (options.MediaTypes == MediaDataType.None)
        {
            failures.Add("Rtms:MediaTypes must name at least one media type.");
        }
        if (options.MediaConnectionMode == MediaConnectionMode.Split && options.MediaTypes.HasFlag(MediaDataType.All))
        {
            failures.Add("Rtms:MediaTypes 'All' needs Rtms:MediaConnectionMode Unified; Split opens one socket per named type.");
        }
        if (options.AudioSendRateMs % 20 != 0)
        {
            failures.Add("Rtms:AudioSendRateMs must be a multiple of 20.");
        }
        if (MediaFormats.FromHz(options.AudioSampleRateHz) is null)
        {
            failures.Add("Rtms:AudioSampleRateHz must be 8000, 16000, 32000 or 48000.");
        }
        if (options.TranscriptSourceLanguage is { } language && !Enum.IsDefined(language))
        {
            failures.Add($"Rtms:TranscriptSourceLanguage {(int)language} is not an RTMS_TRANSCRIPT_LANGUAGE (-1 None, 0 Arabic … 36 Vietnamese).");
        }
        if (AudioCodecRule(options) is { } codecRule)
        {
            failures.Add(codecRule);
        }
        if (options.ReconnectMaxDelay < options.ReconnectInitialDelay)
        {
            failures.Add("Rtms:ReconnectMaxDelay must not be below Rtms:ReconnectInitialDelay.");
        }
        if (failures.Count == 0)
        {
            var status = MediaParamsValidator.Validate(options.MediaTypes, RtmsMediaRequest.Build(options, options.MediaTypes));
            if (status != StatusCode.Ok)
            {
                failures.Add($"Rtms media parameters are not a valid Zoom combination: {status}.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Zoom's audio codec rules (§4.3), named in the options' own terms.</summary>
    private static string? AudioCodecRule(RtmsClientOptions o) => o.AudioCodec switch
    {
        MediaCodec.L16 => null,
        MediaCodec.G711 when o.AudioSampleRateHz != 8000 || o.AudioChannels != 1 || o.AudioSendRateMs != 20 =>
            $"Rtms:AudioCodec G711 needs Rtms:AudioSampleRateHz 8000, Rtms:AudioChannels 1 and Rtms:AudioSendRateMs 20 (configured: {o.AudioSampleRateHz}, {o.AudioChannels}, {o.AudioSendRateMs}).",
        MediaCodec.G722 when o.AudioSampleRateHz != 16000 || o.AudioChannels != 1 || o.AudioSendRateMs != 20 =>
            $"Rtms:AudioCodec G722 needs Rtms:AudioSampleRateHz 16000, Rtms:AudioChannels 1 and Rtms:AudioSendRateMs 20 (configured: {o.AudioSampleRateHz}, {o.AudioChannels}, {o.AudioSendRateMs}).",
        MediaCodec.Opus when o.AudioSampleRateHz != 48000 || o.AudioSendRateMs != 20 =>
            $"Rtms:AudioCodec Opus needs Rtms:AudioSampleRateHz 48000 and Rtms:AudioSendRateMs 20 (configured: {o.AudioSampleRateHz}, {o.AudioSendRateMs}).",
        MediaCodec.G711 or MediaCodec.G722 or MediaCodec.Opus => null,
        _ => $"Rtms:AudioCodec must be L16, G711, G722 or Opus (configured: {o.AudioCodec}).",
    };
}
