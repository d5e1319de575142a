using System.Diagnostics;
using System.Security.Cryptography;

namespace RtmsGateway.Fuzzing;

/// <summary>
/// The fuzzer that needs nothing installed: mutates the corpus in process for a fixed time and saves every input that
/// breaks the target's contract (one per distinct failure) under the findings directory. It has no coverage feedback;
/// afl++ (scripts/fuzz.sh) is the coverage-guided run.
/// </summary>
public static class MutationFuzzer
{
    private const int MaxDistinctFailures = 20;

    public static int Run(IFuzzTarget target, MutationRun run)
    {
        var seeds = Directory.EnumerateFiles(run.CorpusDirectory).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        if (seeds.Count == 0)
        {
            Console.Error.WriteLine($"{target.Name}: no seeds in {run.CorpusDirectory}");
            return 2;
        }
        Directory.CreateDirectory(run.FindingsDirectory);
        var random = new Random(run.Seed);
        var mutator = new Mutator(random);
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        long executions = 0;
        foreach (var seed in seeds)
        {
            Execute(target, seed, run, failures, ref executions);
        }
        while (clock.Elapsed < run.Duration && failures.Count < MaxDistinctFailures)
        {
            var input = mutator.Mutate(seeds[random.Next(seeds.Count)], seeds[random.Next(seeds.Count)]);
            Execute(target, input, run, failures, ref executions);
        }
        Console.WriteLine($"{target.Name}: {executions} executions in {clock.Elapsed.TotalSeconds:F0} s (seed {run.Seed}), {failures.Count} distinct contract failures");
        foreach (var (signature, file) in failures)
        {
            Console.WriteLine($"  {file}: {signature}");
        }
        return failures.Count == 0 ? 0 : 1;
    }

    private static void Execute(IFuzzTarget target, byte[] input, MutationRun run, Dictionary<string, string> failures, ref long executions)
    {
        executions++;
        try
        {
            target.Run(input);
        }
        catch (Exception ex)
        {
            var signature = $"{ex.GetType().Name}: {Truncate(ex.Message)} at {ex.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}";
            if (failures.ContainsKey(signature))
            {
                return;
            }
            var file = Path.Combine(run.FindingsDirectory, $"{target.Name}-{Convert.ToHexStringLower(SHA256.HashData(input))[..16]}");
            File.WriteAllBytes(file, input);
            failures[signature] = file;
        }
    }

    private static string Truncate(string message)
    {
        var digitsless = new string(message.Take(120).Select(c => char.IsDigit(c) ? '#' : c).ToArray());
        return digitsless;
    }
}
