// dotnet run --project clients/csharp/examples/RtmsGateway.Client.Examples -- <example> [options]
//   transcripts  --meeting <uuid> | --stream <id>                       live transcripts with speaker names
//   wav          --meeting <uuid> | --stream <id> [--out meeting.wav]   the meeting's audio as a WAV file
//   keyframes    --meeting <uuid> | --stream <id> [--dir keyframes] [--limit 10]   video key frames as files
// Every example: --addresses http://gw-0:50051,http://gw-1:50051 (or $RTMS_GATEWAY_ADDRESSES; default
// http://127.0.0.1:50051) and the bearer token from --token-file <path> (read on every attempt) or $RTMS_GATEWAY_TOKEN.
using RtmsGateway.Client.Examples;

var options = ExampleOptions.Parse(args.Skip(1).ToArray());
using var stop = new StopSignal();
return args.FirstOrDefault() switch
{
    "transcripts" => await Transcripts.RunAsync(options, stop.Token),
    "wav" => await WavRecording.RunAsync(options, stop.Token),
    "keyframes" => await Keyframes.RunAsync(options, stop.Token),
    _ => ExampleOptions.Usage("the first argument names the example: transcripts, wav or keyframes"),
};
