using RtmsGateway.Fuzzing;

// RtmsGateway.Fuzzing <webhook|rtms|video> afl                      under afl-fuzz (scripts/fuzz.sh instruments the protocol assembly)
// RtmsGateway.Fuzzing <webhook|rtms|video> run <file-or-dir>...     replays inputs (a crash from a finding, or the corpus)
// RtmsGateway.Fuzzing <webhook|rtms|video> mutate <seconds> <corpus-dir> <findings-dir> [seed]
//                                                             in-process mutation fuzzing, without afl++
IFuzzTarget[] targets = [new WebhookTarget(), new RtmsMessageTarget(), new VideoPictureTarget()];
if (args.Length < 2 || targets.FirstOrDefault(t => t.Name == args[0]) is not { } target)
{
    Console.Error.WriteLine($"usage: RtmsGateway.Fuzzing <{string.Join('|', targets.Select(t => t.Name))}> <afl | run PATH... | mutate SECONDS CORPUS FINDINGS [SEED]>");
    return 2;
}

switch (args[1])
{
    case "afl":
        SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        });
        return 0;
    case "run":
        return Replay.Run(target, args[2..]);
    case "mutate" when args.Length >= 5:
        var seed = args.Length > 5 ? int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture) : Environment.TickCount;
        var options = new MutationRun(
            TimeSpan.FromSeconds(double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)), args[3], args[4], seed);
        return MutationFuzzer.Run(target, options);
    default:
        Console.Error.WriteLine($"unknown mode '{args[1]}'");
        return 2;
}
