using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Trust;

/// <summary>A wrong-usage rejection names the certificate whose extendedKeyUsage excludes serverAuth, not always the leaf.</summary>
public sealed class UsageBlameTests : IDisposable
{
    private const string Host = "model.internal";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Validate_IntermediateEkuClientAuthOnly_BlamesTheIntermediate()
    {
        var root = Pki.Root("Usage Root");
        var clientOnly = Pki.Intermediate("Client Only CA", root, new Pki.Spec { Eku = ["1.3.6.1.5.5.7.3.2"] });
        var leaf = Pki.Server(clientOnly, Host);
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(_dir.Write("root.pem", Pki.PemOf(root)));

        var verdict = new CustomRootTrustValidator(options).Validate(leaf, [clientOnly], Host);

        verdict.Failure.Should().Be(TrustFailure.WrongUsage);
        verdict.Summary.Should().StartWith("the CA 'CN=Client Only CA' limits what it issues to the extended key usages")
            .And.Contain("so 'CN=model.internal' cannot serve TLS under it");
        verdict.Fix.Should().Contain("Reissue the CA 'CN=Client Only CA' with serverAuth");
    }

    [Fact]
    public void Validate_LeafEkuClientAuthOnly_BlamesTheLeaf()
    {
        var root = Pki.Root("Usage Root 2");
        var leaf = Pki.Issue(Host, root, new Pki.Spec { DnsNames = [Host], Eku = ["1.3.6.1.5.5.7.3.2"] });
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(_dir.Write("root2.pem", Pki.PemOf(root)));

        var verdict = new CustomRootTrustValidator(options).Validate(leaf, [], Host);

        verdict.Failure.Should().Be(TrustFailure.WrongUsage);
        verdict.Summary.Should().StartWith("'CN=model.internal' is not valid for server authentication");
    }
}
