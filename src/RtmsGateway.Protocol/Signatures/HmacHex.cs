using System.Security.Cryptography;
using System.Text;

namespace RtmsGateway.Protocol;

/// <summary>Lower-case hex HMAC-SHA256, the primitive behind every Zoom signature.</summary>
internal static class HmacHex
{
    public static string Compute(string key, ReadOnlySpan<byte> message)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), message, mac);
        return Convert.ToHexStringLower(mac);
    }

    public static string Compute(string key, string message) => Compute(key, Encoding.UTF8.GetBytes(message));

    /// <summary>Constant-time comparison of two ASCII strings.</summary>
    public static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual));
}
