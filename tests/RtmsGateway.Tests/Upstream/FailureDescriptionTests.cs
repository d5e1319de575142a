using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using RtmsGateway.Rtms;

namespace RtmsGateway.Tests.Upstream;

/// <summary>A connection failure is described with every inner cause, so its log line says why it failed.</summary>
public sealed class FailureDescriptionTests
{
    [Fact]
    public void A_tls_failure_names_every_exception_of_the_chain()
    {
        var tls = new WebSocketException(WebSocketError.Faulted, "Unable to connect to the remote server",
            new HttpRequestException("The SSL connection could not be established, see inner exception.",
                new AuthenticationException("The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot")));

        Assert.Equal(
            "Faulted: Unable to connect to the remote server <- HttpRequestException: The SSL connection could not be established, see inner exception. <- AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot",
            RtmsFailures.Describe(tls));
    }

    [Fact]
    public void A_socket_error_carries_its_code()
    {
        var dns = new HttpRequestException("Name or service not known (rtms.zoom.invalid:443)", new SocketException((int)SocketError.HostNotFound));

        var text = RtmsFailures.Describe(dns);

        Assert.StartsWith("Name or service not known (rtms.zoom.invalid:443) <- SocketException HostNotFound: ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exception_without_inner_ones_is_its_message()
    {
        Assert.Equal("no PongResponse within 5 s", RtmsFailures.Describe(new TimeoutException("no PongResponse within 5 s")));
    }
}
