namespace RtmsGateway.Benchmarks.Harness;

/// <summary>One line of the results table.</summary>
internal sealed record Figure(string Name, double Value, string Unit, string Target = "", string Note = "")
{
    public string Display => double.IsNaN(Value) ? "n/a" : Value >= 100 ? Value.ToString("0", System.Globalization.CultureInfo.InvariantCulture) : Value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
}
