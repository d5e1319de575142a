using System.Globalization;

namespace RtmsGateway.Benchmarks.Harness;

/// <summary>How the windows of one scenario combine into a figure: the median, and the min–max shown beside it.</summary>
internal static class WindowStats
{
    /// <summary>The median of the values that are numbers; NaN when none is.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>"min–max" of the values times <paramref name="scale"/>.</summary>
    public static string Spread(IEnumerable<double> values, double scale = 1)
    {
        var numbers = values.Where(v => !double.IsNaN(v)).ToList();
        return numbers.Count == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{numbers.Min() * scale:0.##}–{numbers.Max() * scale:0.##}");
    }
}
