namespace PrivateCa.Tests.Trust;

/// <summary>What an SDK wraps around a rejection, <see cref="CertificateTrustException.Find"/> finds under it.</summary>
public sealed class CertificateTrustExceptionFindTests
{
    [Fact]
    public void Find_UnderInnerAndAggregateExceptions_ReturnsTheRejection()
    {
        var rejection = new CertificateTrustException("rejected");
        var wrapped = new InvalidOperationException("SDK call failed",
            new AggregateException(new TimeoutException("first"), new HttpRequestException("The SSL connection could not be established", rejection)));

        CertificateTrustException.Find(wrapped).Should().BeSameAs(rejection);
        CertificateTrustException.IsTrustRejection(wrapped).Should().BeTrue();
    }

    [Fact]
    public void Find_NoRejection_ReturnsNull()
    {
        var other = new HttpRequestException("connection refused", new AggregateException(new IOException("reset")));

        CertificateTrustException.Find(other).Should().BeNull();
        CertificateTrustException.IsTrustRejection(other).Should().BeFalse();
    }
}
