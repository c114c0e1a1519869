using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;
using PrivateCa.Trust.Internal.Names;

namespace PrivateCa.Tests.Trust.Internal;

/// <summary>The evaluator on its own, with names and constraints written as DER in the test: each form's edge cases, hostile ones beside normal ones.</summary>
public sealed class NameConstraintEvaluatorTests
{
    private static CertificateNames Certificate(string subject, string[] sans, string[]? permitted = null, string[]? excluded = null, bool selfIssued = false) =>
        CertificateNames.Read(subject, new X500DistinguishedName(subject).RawData, selfIssued,
            sans.Length == 0 ? (ReadOnlyMemory<byte>?)null : NameConstraintsDer.SubjectAltName(sans),
            permitted is null && excluded is null ? (ReadOnlyMemory<byte>?)null : NameConstraintsDer.Encode(permitted ?? [], excluded ?? []));

    /// <summary>Leaf with the given names under one CA with the given constraints, under a root.</summary>
    private static List<NameConstraintViolation> Judge(string[] permitted, string[] excluded, string subject, params string[] sans) =>
        NameConstraintEvaluator.Evaluate(
        [
            Certificate(subject, sans),
            Certificate("CN=Constrained CA", [], permitted, excluded),
            Certificate("CN=Root", [], selfIssued: true),
        ]);

    [Theory]
    [InlineData("DNS:corp.example", "DNS:corp.example", true)]
    [InlineData("DNS:corp.example", "DNS:model.corp.example", true)]
    [InlineData("DNS:corp.example", "DNS:MODEL.Corp.EXAMPLE", true)]
    [InlineData("DNS:CORP.example", "DNS:a.b.corp.example", true)]
    [InlineData("DNS:corp.example", "DNS:evilcorp.example", false)]
    [InlineData("DNS:corp.example", "DNS:corp.example.evil", false)]
    [InlineData("DNS:corp.example", "DNS:example", false)]
    [InlineData("DNS:.corp.example", "DNS:corp.example", false)]
    [InlineData("DNS:.corp.example", "DNS:model.corp.example", true)]
    [InlineData("DNS:corp.example", "DNS:*.corp.example", true)]
    [InlineData("DNS:.corp.example", "DNS:*.corp.example", true)]
    [InlineData("DNS:model.corp.example", "DNS:*.corp.example", false)]
    [InlineData("DNS:xn--bcher-kva.example", "DNS:XN--BCHER-KVA.example", true)]
    [InlineData("DNS:xn--bcher-kva.example", "DNS:bucher.example", false)]
    [InlineData("DNS:corp.example", "DNS:model.corp.example.", false)]
    [InlineData("DNS:corp.example", "IP:10.0.0.1", true)]
    [InlineData("IP:10.0.0.0/8", "IP:10.200.1.2", true)]
    [InlineData("IP:10.0.0.0/8", "IP:11.0.0.1", false)]
    [InlineData("IP:10.0.0.0/8", "IP:::ffff:10.0.0.1", false)]
    [InlineData("IP:10.0.0.0/8", "IP:fd00::1", false)]
    [InlineData("IP:fd00::/8", "IP:fd12:3456::1", true)]
    [InlineData("IP:fd00::/8", "IP:fe80::1", false)]
    [InlineData("IP:fd00::/8", "IP:10.0.0.1", false)]
    [InlineData("IP:10.1.2.3/32", "IP:10.1.2.3", true)]
    [InlineData("IP:0.0.0.0/0", "IP:192.0.2.1", true)]
    [InlineData("IP:10.0.0.0/8", "DNS:model.internal", true)]
    [InlineData("email:.corp.example", "email:ops@mail.corp.example", true)]
    [InlineData("email:.corp.example", "email:ops@corp.example", false)]
    [InlineData("email:corp.example", "email:ops@CORP.example", true)]
    [InlineData("email:ops@corp.example", "email:ops@corp.example", true)]
    [InlineData("email:ops@corp.example", "email:Ops@corp.example", false)]
    [InlineData("email:corp.example", "email:no-at-sign", false)]
    [InlineData("URI:.corp.example", "URI:https://api.corp.example/v1", true)]
    [InlineData("URI:.corp.example", "URI:https://corp.example/v1", false)]
    [InlineData("URI:api.corp.example", "URI:https://api.corp.example:8443/", true)]
    [InlineData("URI:.corp.example", "URI:https://10.0.0.1/", false)]
    [InlineData("URI:.corp.example", "URI:urn:uuid:1234", false)]
    [InlineData("DirName:O=Acme, C=GB", "DirName:CN=x, O=Acme, C=GB", true)]
    [InlineData("DirName:O=Acme, C=GB", "DirName:CN=x, O=acme  corp, C=GB", false)]
    [InlineData("DirName:O=Acme Corp, C=GB", "DirName:CN=x, O=  ACME   corp , C=gb", true)]
    public void Evaluate_PermittedSubtree_AllowsExactlyTheNamesInside(string permitted, string name, bool allowed)
    {
        // An empty subject is not checked (RFC 5280), so only the subjectAltName is judged.
        var violations = Judge([permitted], [], string.Empty, name);

        violations.Should().HaveCount(allowed ? 0 : 1, string.Join("; ", violations));
        if (!allowed)
        {
            violations[0].Certificate.Should().Be(0);
            violations[0].Authority.Should().Be(1);
            violations[0].Reason.Should().Contain("'CN=Constrained CA'");
        }
    }

    [Theory]
    [InlineData("DNS:secret.corp.example", "DNS:secret.corp.example", false)]
    [InlineData("DNS:secret.corp.example", "DNS:a.secret.corp.example", false)]
    [InlineData("DNS:secret.corp.example", "DNS:notsecret.corp.example", true)]
    [InlineData("DNS:.secret.corp.example", "DNS:secret.corp.example", true)]
    [InlineData("DNS:secret.corp.example", "DNS:*.corp.example", false)]
    [InlineData("DNS:.secret.corp.example", "DNS:*.corp.example", true)]
    [InlineData("DNS:a.secret.corp.example", "DNS:*.corp.example", true)]
    [InlineData("DNS:", "DNS:anything.example", false)]
    [InlineData("IP:10.9.0.0/16", "IP:10.9.255.1", false)]
    [InlineData("IP:10.9.0.0/16", "IP:10.10.0.1", true)]
    [InlineData("IP:::/0", "IP:2001:db8::1", false)]
    [InlineData("IP:::/0", "IP:10.0.0.1", true)]
    [InlineData("DirName:O=Evil, C=GB", "DirName:CN=x, O=Evil, C=GB", false)]
    public void Evaluate_ExcludedSubtree_RejectsTheNamesInside(string excluded, string name, bool allowed)
    {
        var violations = Judge([], [excluded], string.Empty, name);

        violations.Should().HaveCount(allowed ? 0 : 1, string.Join("; ", violations));
        if (!allowed)
        {
            violations[0].Reason.Should().Contain("is in the excluded subtree");
        }
    }

    [Fact]
    public void Evaluate_NameBothPermittedAndExcluded_ExcludedWins()
    {
        var violations = Judge(["DNS:corp.example"], ["DNS:secret.corp.example"], "CN=leaf", "DNS:db.secret.corp.example");

        violations.Should().ContainSingle().Which.Reason.Should().Be(
            "the name DNS:db.secret.corp.example in 'CN=leaf' is in the excluded subtree DNS:secret.corp.example of 'CN=Constrained CA'");
    }

    [Fact]
    public void Evaluate_CommonNameOutsideDnsConstraint_NeverConsulted()
    {
        Judge(["DNS:corp.example"], [], "CN=evil.example", "DNS:model.corp.example").Should().BeEmpty();
        Judge(["DNS:corp.example"], [], "CN=10.0.0.1", "DNS:model.corp.example").Should().BeEmpty();
    }

    [Fact]
    public void Evaluate_SubjectOutsideDirectoryNameConstraint_Rejects()
    {
        Judge(["DirName:O=Acme, C=GB"], [], "CN=leaf, O=Acme, C=GB", "DNS:model.internal").Should().BeEmpty();
        Judge(["DirName:O=Acme, C=GB"], [], "CN=leaf, O=Other, C=GB", "DNS:model.internal").Should().ContainSingle()
            .Which.Reason.Should().StartWith("the subject DirName:CN=leaf, O=Other, C=GB is outside the permitted subtrees");
    }

    [Fact]
    public void Evaluate_SubjectEmailAddressOutsideRfc822Constraint_Rejects()
    {
        Judge(["email:corp.example"], [], "E=ops@evil.example, CN=leaf", "DNS:model.internal").Should().ContainSingle()
            .Which.Reason.Should().Contain("emailAddress email:ops@evil.example");
    }

    [Fact]
    public void Evaluate_RootConstraint_AppliesThroughTheIntermediate()
    {
        var chain = new List<CertificateNames>
        {
            Certificate("CN=leaf", ["DNS:model.evil.example"]),
            Certificate("CN=Issuing", ["DNS:issuing.corp.example"]),
            Certificate("CN=Root", [], ["DNS:corp.example"], selfIssued: true),
        };

        NameConstraintEvaluator.Evaluate(chain).Should().ContainSingle().Which.Should().Be(
            new NameConstraintViolation(0, 2, "the name DNS:model.evil.example in 'CN=leaf' is outside the permitted subtrees (DNS:corp.example) of 'CN=Root'"));
    }

    [Fact]
    public void Evaluate_IntermediateNamesOutsideRootConstraint_Rejects()
    {
        var chain = new List<CertificateNames>
        {
            Certificate("CN=leaf", ["DNS:model.corp.example"]),
            Certificate("CN=Issuing", ["DNS:issuing.evil.example"]),
            Certificate("CN=Root", [], ["DNS:corp.example"], selfIssued: true),
        };

        NameConstraintEvaluator.Evaluate(chain).Should().ContainSingle().Which.Certificate.Should().Be(1);
    }

    [Fact]
    public void Evaluate_SelfIssuedIntermediate_IsNotCheckedButTheLeafIs()
    {
        var chain = new List<CertificateNames>
        {
            Certificate("CN=leaf", ["DNS:model.corp.example"]),
            Certificate("CN=Rollover", ["DNS:rollover.evil.example"], selfIssued: true),
            Certificate("CN=Root", [], ["DNS:corp.example"], selfIssued: true),
        };

        NameConstraintEvaluator.Evaluate(chain).Should().BeEmpty();
    }

    [Theory]
    [InlineData("raw:880403020304", "registeredID")]
    [InlineData("raw:A00A06032A0304A0030C0178", "otherName")]
    [InlineData("IPRAW:0A000000FF00FF00", "mask is not a contiguous prefix")]
    [InlineData("IPRAW:0A0000FF00", "5 octets")]
    [InlineData("DNS:*.corp.example", "wildcard")]
    [InlineData("DNS:corp..example", "empty label")]
    [InlineData("email:@corp.example", "empty")]
    public void Evaluate_ConstraintItCannotEvaluate_RejectsWithTheReason(string permitted, string expected)
    {
        var violations = Judge([permitted], [], "CN=leaf", "DNS:model.internal");

        violations.Should().ContainSingle().Which.Reason.Should().Contain("cannot be evaluated").And.Contain(expected);
    }

    [Theory]
    [InlineData("30020000")]
    [InlineData("3000")]
    [InlineData("3004A0023000")]
    [InlineData("300BA0093007820530313233FF")]
    [InlineData("300AA008300682022E2E8001")]
    [InlineData("")]
    public void Evaluate_MalformedNameConstraints_RejectsWithoutThrowing(string hex)
    {
        var names = new List<CertificateNames>
        {
            Certificate("CN=leaf", ["DNS:model.internal"]),
            CertificateNames.Read("CN=CA", new X500DistinguishedName("CN=CA").RawData, false, null, Convert.FromHexString(hex)),
        };

        NameConstraintEvaluator.Evaluate(names).Should().ContainSingle().Which.Reason.Should().StartWith("the name constraints of 'CN=CA' cannot be evaluated: ");
    }

    [Fact]
    public void Evaluate_MalformedSubjectAltNameUnderConstraints_Rejects()
    {
        var names = new List<CertificateNames>
        {
            CertificateNames.Read("CN=leaf", new X500DistinguishedName("CN=leaf").RawData, false, new byte[] { 0x30, 0x03, 0x82, 0x05, 0x41 }, null),
            Certificate("CN=CA", [], ["DNS:corp.example"]),
        };

        NameConstraintEvaluator.Evaluate(names).Should().ContainSingle().Which.Reason.Should().Contain("subjectAltName in 'CN=leaf' does not parse");
    }

    [Fact]
    public void Evaluate_NoConstraintsAnywhere_NoViolation()
    {
        NameConstraintEvaluator.Evaluate([Certificate("CN=leaf", ["DNS:anything.example"]), Certificate("CN=Root", [], selfIssued: true)]).Should().BeEmpty();
    }
}
