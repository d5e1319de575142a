using System.Text;

namespace RtmsGateway.Simulator;

/// <summary>A Contact Center party's <c>channel_id</c>: a string such as <c>"1abc"</c> (Zoom's tables and examples show
/// <c>"123abc"</c>), or its position in the call as a number (<see cref="WireVariants.NumericChannelIds"/>).</summary>
public sealed class PartyChannel
{
    private PartyChannel(int number, bool isNumber)
    {
        Number = number;
        IsNumber = isNumber;
        Text = isNumber ? number.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{number}abc";
        Utf8 = Encoding.UTF8.GetBytes(Text);
    }

    /// <summary>The party's 1-based position in the call.</summary>
    public int Number { get; }

    /// <summary>Sent as a JSON number rather than a string.</summary>
    public bool IsNumber { get; }

    /// <summary>The channel as the API carries it (<c>AudioFrame.channel</c>).</summary>
    public string Text { get; }

    internal byte[] Utf8 { get; }

    private static readonly PartyChannel[] Texts = [.. Enumerable.Range(0, 64).Select(i => new PartyChannel(i, isNumber: false))];
    private static readonly PartyChannel[] Numbers = [.. Enumerable.Range(0, 64).Select(i => new PartyChannel(i, isNumber: true))];

    /// <summary>The channel of the party at <paramref name="position"/> (shared instances for small calls: the audio path
    /// asks for it on every packet).</summary>
    public static PartyChannel Of(int position, bool numeric) =>
        position is >= 0 and < 64 ? (numeric ? Numbers : Texts)[position] : new(position, numeric);
}
