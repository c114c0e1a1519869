using PrivateCa.Trust.Internal.Names;
using PrivateCa.X509.Internal;

namespace PrivateCa.Tests.Trust.Internal;

public sealed class DnsNameTests
{
    [Theory]
    [InlineData("model.internal")]
    [InlineData("a-b.c0.example")]
    [InlineData("*.corp.example")]
    [InlineData("xn--bcher-kva.example")]
    [InlineData("localhost")]
    public void SyntaxProblem_ValidName_None(string name) => DnsName.SyntaxProblem(name).Should().BeNull();

    [Theory]
    [InlineData("", "empty")]
    [InlineData("model.internal.", "ends with a dot")]
    [InlineData("model..internal", "empty label")]
    [InlineData(".model.internal", "empty label")]
    [InlineData("m*.corp.example", "wildcard")]
    [InlineData("a.*.corp.example", "wildcard")]
    [InlineData("**.corp.example", "wildcard")]
    [InlineData("*.example", "two labels after it")]
    [InlineData("model_1.internal", "'_'")]
    [InlineData("model internal", "' '")]
    [InlineData("-model.internal", "hyphen")]
    [InlineData("model-.internal", "hyphen")]
    [InlineData("model.internal\u0000.evil", "'\u0000'")]
    public void SyntaxProblem_InvalidName_SaysWhy(string name, string expected) => DnsName.SyntaxProblem(name).Should().Contain(expected);

    [Fact]
    public void SyntaxProblem_LongLabelOrName_Rejected()
    {
        DnsName.SyntaxProblem(new string('a', 64) + ".example").Should().Contain("at most 63");
        DnsName.SyntaxProblem(string.Join('.', Enumerable.Repeat(new string('a', 60), 5))).Should().Contain("at most 253");
        DnsName.SyntaxProblem(new string('a', 63) + ".example").Should().BeNull();
    }

    [Theory]
    [InlineData("com", true)]
    [InlineData("co.uk", true)]
    [InlineData("CO.UK", true)]
    [InlineData("example.com", false)]
    [InlineData("corp.example", false)]
    [InlineData("kawasaki.jp", false)]
    [InlineData("city.kawasaki.jp", false)]
    [InlineData("other.kawasaki.jp", true)]
    [InlineData("xn--55qx5d.cn", true)]
    [InlineData("blogspot.com", false)]
    public void IsPublicSuffix_IcannRules_WildcardsExceptionsAndIdns(string domain, bool expected) =>
        PublicSuffixList.Instance.IsPublicSuffix(domain).Should().Be(expected);

    [Fact]
    public void PublicSuffixList_Embedded_HoldsTheIcannSection() => PublicSuffixList.Instance.Count.Should().BeGreaterThan(6000);
}
