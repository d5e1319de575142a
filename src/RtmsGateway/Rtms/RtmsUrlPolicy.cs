using System.Net;
using System.Net.Sockets;

namespace RtmsGateway.Rtms;

/// <summary>
/// Which RTMS URLs the gateway dials (signaling from a webhook, media from a signaling response): <c>wss</c> (or <c>ws</c>
/// when insecure URLs are allowed, for simulators), a host on the allow-list, and — checked again on every address the
/// name resolves to, at connect time, so DNS cannot point a listed name inward — no loopback, private, link-local,
/// multicast or otherwise non-public address unless explicitly allowed. Anyone holding the webhook token could
/// otherwise make the gateway dial any host (its own Redis, its own ports) and hand it a valid RTMS signature.
/// </summary>
internal sealed class RtmsUrlPolicy(IReadOnlyList<string> hosts, bool allowInsecure, bool allowPrivate)
{
    /// <summary>Why <paramref name="url"/> may not be dialled, or null when it may.</summary>
    public string? Refusal(Uri url)
    {
        if (!url.IsAbsoluteUri)
        {
            return "not an absolute URL";
        }
        if (!(url.Scheme == "wss" || (allowInsecure && url.Scheme == "ws")))
        {
            return allowInsecure ? $"scheme {url.Scheme} (ws or wss required)" : $"scheme {url.Scheme} (wss required; Zoom:AllowInsecureRtmsUrls is off)";
        }
        if (!url.UserInfo.Equals(string.Empty, StringComparison.Ordinal))
        {
            return "credentials in the URL";
        }
        var host = url.IdnHost.TrimEnd('.');
        if (!hosts.Any(pattern => Matches(pattern, host)))
        {
            return $"host {host} is not on Zoom:RtmsHosts";
        }
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal) && !IsAllowed(literal))
        {
            return $"address {literal} is not public (Zoom:AllowPrivateRtmsAddresses is off)";
        }
        return null;
    }

    /// <summary>May a connection go to this resolved address?</summary>
    public bool IsAllowed(IPAddress address) => allowPrivate || IsPublic(address);

    public static bool Matches(string pattern, string host) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase) && host.Length > pattern.Length - 1
            : string.Equals(pattern.TrimEnd('.'), host, StringComparison.OrdinalIgnoreCase);

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 10 || b[0] == 0 || b[0] == 127 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) || b[0] >= 224 || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19)));
        }
        var v6 = address.GetAddressBytes();
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal || (v6[0] & 0xfe) == 0xfc);
    }
}
