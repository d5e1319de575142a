namespace RtmsGateway.Fuzzing;

/// <summary>Runs a target over saved inputs (files, or every file of a directory) and reports each one that breaks the contract.</summary>
public static class Replay
{
    public static int Run(IFuzzTarget target, IEnumerable<string> paths)
    {
        var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p])
            .Order(StringComparer.Ordinal).ToList();
        var failures = 0;
        foreach (var file in files)
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
            }
            catch (Exception ex)
            {
                failures++;
                Console.WriteLine($"FAIL {file}: {ex.GetType().Name}: {ex.Message}");
            }
        }
        Console.WriteLine($"{target.Name}: {files.Count} inputs replayed, {failures} broke the contract");
        return failures == 0 ? 0 : 1;
    }
}
