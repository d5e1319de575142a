using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace RtmsGateway.Simulator;

/// <summary>Rewrites the numeric <c>user_id</c>s of a message as JSON strings of digits (the §3.4 string variant).</summary>
internal static class UserIdText
{
    /// <summary>Quotes <c>user_id</c> in the object <paramref name="container"/> and in its <c>participants</c>.</summary>
    public static byte[] Quote(byte[] json, string container)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        if (root[container] is JsonObject inner)
        {
            QuoteIn(inner);
        }
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static void QuoteIn(JsonObject node)
    {
        if (node["user_id"] is JsonValue value && value.TryGetValue<long>(out var number))
        {
            node["user_id"] = number.ToString(CultureInfo.InvariantCulture);
        }
        if (node["participants"] is JsonArray participants)
        {
            foreach (var participant in participants)
            {
                if (participant is JsonObject p)
                {
                    QuoteIn(p);
                }
            }
        }
    }
}
