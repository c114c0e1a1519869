using System.Security.Cryptography.X509Certificates;
using PrivateCa.Bundle.Internal;
using PrivateCa.X509.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>Turns the chain engine's status flags into reasons that name the certificate and say what to do.</summary>
internal static class ChainInterpreter
{
    private const X509ChainStatusFlags NoAnchor = X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.UntrustedRoot;

    private const X509ChainStatusFlags NameConstraintFlags =
        X509ChainStatusFlags.HasNotPermittedNameConstraint | X509ChainStatusFlags.HasExcludedNameConstraint
        | X509ChainStatusFlags.HasNotSupportedNameConstraint | X509ChainStatusFlags.HasNotDefinedNameConstraint
        | X509ChainStatusFlags.InvalidNameConstraints;

    /// <summary>Where .NET keeps the CRLs it downloaded, for the fix text of a revocation failure.</summary>
    private static readonly string CrlCache =
        OperatingSystem.IsWindows() ? "the Windows CryptoAPI URL cache ('certutil -urlcache crl delete' clears it)"
        : OperatingSystem.IsMacOS() ? "the macOS system certificate cache"
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "corefx", "cryptography", "crls");

    public static void Interpret(
        BuiltChain chain,
        TrustSnapshot snapshot,
        Candidates candidates,
        bool allowIntermediateAnchors,
        bool ownNameConstraints,
        DateTimeOffset at,
        List<TrustProblem> problems,
        ref CertificateEntry? anchor)
    {
        var elements = chain.Elements;
        var flags = (X509ChainStatusFlags[])chain.ElementFlags.Clone();
        var all = chain.ChainFlags;
        if (ownNameConstraints)
        {
            // Strict evaluates name constraints itself (StrictNameRules); the platform's status is advisory
            // (OpenSSL reads a host-like common name as a DNS name when the subjectAltName has none).
            all &= ~NameConstraintFlags;
            for (var i = 0; i < flags.Length; i++)
            {
                flags[i] &= ~NameConstraintFlags;
            }
        }

        var top = elements.Length > 0 ? elements[^1] : null;
        var topEntry = top is null ? null : FindEntry(snapshot, top);
        if ((all & NoAnchor) != 0 && topEntry is { Facts.IsSelfIssued: false, Facts.IsCertificateAuthority: true })
        {
            if (allowIntermediateAnchors)
            {
                // OpenSSL's partial-chain mode: a CA from the bundle ends the chain; everything below it was still checked.
                all &= ~NoAnchor;
                flags[^1] &= ~NoAnchor;
                anchor = topEntry;
            }
            else
            {
                problems.Add(new TrustProblem(TrustFailure.UntrustedRoot,
                    $"the chain ends at '{NameText.Name(top!.Subject)}', an intermediate CA from the bundle ({topEntry.Source}), and its root '{NameText.Name(top.Issuer)}' is not in the bundle",
                    $"Add the root '{NameText.Name(top.Issuer)}' to the bundle, or set AllowIntermediateAnchors = true to let this intermediate end the chain (as OpenSSL's -partial_chain does)."));
                all &= ~NoAnchor;
                flags[^1] &= ~NoAnchor;
            }
        }
        else if (all == X509ChainStatusFlags.NoError && topEntry is not null)
        {
            anchor = topEntry;
        }

        for (var i = 0; i < elements.Length; i++)
        {
            Describe(elements, i, flags[i] & ~NoAnchor, at, problems);
        }

        if ((all & NoAnchor) != 0)
        {
            problems.Add(Untrusted(top, snapshot, candidates));
        }
    }

    /// <summary>Whether the chain ends at a self-signed certificate of the bundle that the engine took as its anchor, whatever
    /// else is wrong below it (an expired leaf): that anchor's own self-signature is never relied on.</summary>
    public static bool EndsAtBundleRoot(BuiltChain chain, TrustSnapshot snapshot) =>
        chain.Elements.Length > 0
        && (chain.ElementFlags[^1] & NoAnchor) == 0
        && FindEntry(snapshot, chain.Elements[^1]) is { Facts.IsSelfIssued: true };

    /// <summary>The problems of a chain built with system trust; empty when its only fault is the lack of a known root.</summary>
    public static List<TrustProblem> SystemProblems(BuiltChain chain, DateTimeOffset at)
    {
        var problems = new List<TrustProblem>();
        for (var i = 0; i < chain.Elements.Length; i++)
        {
            Describe(chain.Elements, i, chain.ElementFlags[i] & ~NoAnchor, at, problems);
        }

        return problems;
    }

    private static TrustProblem Untrusted(X509Certificate2? top, TrustSnapshot snapshot, Candidates candidates)
    {
        var count = snapshot.Anchors.Length;
        var loaded = $"the {count} anchor{(count == 1 ? string.Empty : "s")} loaded from {snapshot.SourcesText}";
        if (top is null)
        {
            return new TrustProblem(TrustFailure.UntrustedRoot, $"no chain could be built to any of {loaded}", $"Add the server's issuing CA to the bundle.");
        }

        if (top.SubjectName.RawData.AsSpan().SequenceEqual(top.IssuerName.RawData))
        {
            var lookAlike = candidates.Anchors.Count > 0 ? " (an anchor with that name is in the bundle, but it is another certificate)" : string.Empty;
            return new TrustProblem(TrustFailure.UntrustedRoot,
                $"'{NameText.Name(top.Subject)}' is a self-signed certificate that is not among {loaded}{lookAlike}",
                $"If '{NameText.Name(top.Subject)}' is your CA (or the server's own self-signed certificate), add it to the bundle; otherwise this is not the server you meant.");
        }

        // A bundle certificate with the issuer's name that the chain engine did not take: same name, another key.
        var sameName = snapshot.Bundle.Index.BySubject(top.IssuerName.RawData);
        if (sameName.Count > 0 && sameName.All(e => !e.Facts.IsCertificateAuthority))
        {
            return new TrustProblem(TrustFailure.UntrustedRoot,
                $"'{NameText.Name(top.Issuer)}' is in the bundle ({sameName[0].Source}) but is not a CA (no basicConstraints CA:true), so it vouches only for itself and never as the issuer of '{NameText.Name(top.Subject)}'",
                $"Put the CA certificate that issued '{NameText.Name(top.Subject)}' in the bundle; a non-CA certificate in a bundle is trusted only as that exact server certificate.");
        }

        if (sameName.Count > 0)
        {
            return new TrustProblem(TrustFailure.UntrustedRoot,
                $"issuer '{NameText.Name(top.Issuer)}' is in the bundle ({sameName[0].Source}), but not with the key that signed '{NameText.Name(top.Subject)}': a CA with the same name and another key",
                $"Find the CA certificate that really issued '{NameText.Name(top.Subject)}' (its key identifiers must match) and put it in the bundle; a look-alike is never trusted.");
        }

        return new TrustProblem(TrustFailure.UntrustedRoot,
            $"issuer '{NameText.Name(top.Issuer)}' is not in {loaded}",
            $"Add the CA certificate '{NameText.Name(top.Issuer)}' to the bundle ('openssl s_client -showcerts -connect HOST:PORT' shows what the server sends), or check that this is the server you meant.");
    }

    private static void Describe(X509Certificate2[] elements, int i, X509ChainStatusFlags flags, DateTimeOffset at, List<TrustProblem> problems)
    {
        if (flags == X509ChainStatusFlags.NoError)
        {
            return;
        }

        var certificate = elements[i];
        var subject = NameText.Name(certificate.Subject);
        if ((flags & X509ChainStatusFlags.NotSignatureValid) != 0)
        {
            Add(problems, TrustFailure.BadSignature,
                $"the signature on '{subject}' does not verify with the key of '{NameText.Name(certificate.Issuer)}' found for it (a CA certificate with the same name but another key?)",
                $"Find the CA that really issued '{subject}' and put that certificate in the bundle.");
        }

        if ((flags & X509ChainStatusFlags.NotTimeValid) != 0)
        {
            // Which end was crossed, by the instant the chain engine judged at.
            var now = at.UtcDateTime;
            Add(problems, TrustFailure.NotTimeValid,
                now > certificate.NotAfter.ToUniversalTime()
                    ? (FormattableString)$"'{subject}' expired at {CertificateText.Time(certificate.NotAfter)}"
                    : $"'{subject}' is not valid before {CertificateText.Time(certificate.NotBefore)}",
                now > certificate.NotAfter.ToUniversalTime()
                    ? (FormattableString)$"Renew '{subject}' (or check this machine's clock)."
                    : $"Wait until it is valid, or check the clocks of this machine and of the CA that issued '{subject}'.");
        }

        if ((flags & X509ChainStatusFlags.Revoked) != 0)
        {
            Add(problems, TrustFailure.Revocation, $"'{subject}' is revoked", $"Replace '{subject}' with a certificate that is not revoked.");
        }

        if ((flags & X509ChainStatusFlags.InvalidBasicConstraints) != 0)
        {
            Add(problems, TrustFailure.BasicConstraints, BasicConstraintsReason(elements, i),
                $"Issue server certificates from a CA certificate (basicConstraints CA:true) and within its path length constraint.");
        }

        if ((flags & NameConstraintFlags) != 0)
        {
            var constrained = elements.Skip(i + 1).FirstOrDefault(e => e.Extensions[Oids.NameConstraints] is not null) ?? certificate;
            Add(problems, TrustFailure.NameConstraints,
                $"a name in '{NameText.Name(elements[0].Subject)}' is outside the name constraints of '{NameText.Name(constrained.Subject)}'",
                $"Issue the certificate for a name inside the permitted subtrees of '{NameText.Name(constrained.Subject)}', or widen its name constraints.");
        }

        if ((flags & X509ChainStatusFlags.NotValidForUsage) != 0)
        {
            // The flag may sit on the leaf although a CA's extendedKeyUsage is what excludes serverAuth: blame the first that does.
            var culprit = ExtendedKeyUsageText.Culprit(elements) ?? i;
            var named = NameText.Name(elements[culprit].Subject);
            var usages = ExtendedKeyUsageText.Of(elements[culprit]);
            if (culprit == 0)
            {
                Add(problems, TrustFailure.WrongUsage,
                    $"'{named}' is not valid for server authentication (extended key usage: {usages})",
                    $"Reissue '{named}' with extendedKeyUsage serverAuth.");
            }
            else
            {
                Add(problems, TrustFailure.WrongUsage,
                    $"the CA '{named}' limits what it issues to the extended key usages {usages}, which exclude server authentication, so '{NameText.Name(elements[0].Subject)}' cannot serve TLS under it",
                    $"Reissue the CA '{named}' with serverAuth in its extendedKeyUsage (or without an extendedKeyUsage).");
            }
        }

        if ((flags & X509ChainStatusFlags.OfflineRevocation) != 0)
        {
            Add(problems, TrustFailure.Revocation,
                $"the revocation status of '{subject}' could not be learned: its CRL or OCSP server did not answer within {ChainBuilder.RevocationFetchTimeout.TotalSeconds:0} s (offline)",
                $"Make the CA's CRL or OCSP endpoint reachable from here, or set RevocationMode to NoCheck if the CA publishes none.");
        }
        else if ((flags & X509ChainStatusFlags.RevocationStatusUnknown) != 0)
        {
            Add(problems, TrustFailure.Revocation,
                $"the revocation status of '{subject}' is unknown: the chain engine has no CRL or OCSP answer it can use for it (none is published, or the one it has is out of date or does not verify — for example a stale CRL of a re-keyed CA with the same name and URL)",
                $"Check that the CA publishes a current CRL signed by its present key; .NET caches downloaded CRLs in {CrlCache}, and a stale one there can be deleted. Set RevocationMode to NoCheck if the CA publishes none.");
        }

        var known = X509ChainStatusFlags.NotSignatureValid | X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.Revoked
            | X509ChainStatusFlags.InvalidBasicConstraints | NameConstraintFlags | X509ChainStatusFlags.NotValidForUsage
            | X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation;
        if ((flags & ~known) is var other && other != X509ChainStatusFlags.NoError)
        {
            Add(problems, TrustFailure.Other, $"the chain engine reports {other} for '{subject}'", $"Inspect '{subject}' with 'openssl x509 -text'.");
        }
    }

    private static FormattableString BasicConstraintsReason(X509Certificate2[] elements, int i)
    {
        // The flag may sit on the issuer or on what it issued: name the certificate that is not allowed to issue.
        for (var j = Math.Max(i, 1); j < elements.Length; j++)
        {
            var issuer = elements[j];
            var basic = issuer.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
            if (basic is null || !basic.CertificateAuthority)
            {
                return $"'{NameText.Name(issuer.Subject)}' is not a CA (basicConstraints {(basic is null ? "absent" : "CA:false")}) but issued '{NameText.Name(elements[j - 1].Subject)}'";
            }

            // OpenSSL reports a CA whose keyUsage forbids certificate signing as a basic-constraints failure.
            if (issuer.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage && (usage.KeyUsages & X509KeyUsageFlags.KeyCertSign) == 0)
            {
                return $"'{NameText.Name(issuer.Subject)}' is a CA whose keyUsage lacks keyCertSign, so it may not sign certificates, but it issued '{NameText.Name(elements[j - 1].Subject)}'";
            }

            if (basic.HasPathLengthConstraint && j - 1 > basic.PathLengthConstraint)
            {
                return $"the path length constraint of '{NameText.Name(issuer.Subject)}' (pathlen {basic.PathLengthConstraint}) is exceeded: {j - 1} CA certificate(s) below it";
            }
        }

        return $"the basic constraints of '{NameText.Name(elements[i].Subject)}' are not met";
    }

    private static void Add(List<TrustProblem> problems, TrustFailure failure, FormattableString reason, FormattableString fix)
    {
        var text = VerdictRenderer.Render(reason);
        if (!problems.Any(p => p.ReasonText == text))
        {
            problems.Add(new TrustProblem(failure, reason, fix));
        }
    }

    private static CertificateEntry? FindEntry(TrustSnapshot snapshot, X509Certificate2 certificate)
    {
        var der = certificate.RawDataMemory.Span;
        foreach (var entry in snapshot.Bundle.Index.BySubject(certificate.SubjectName.RawData))
        {
            if (entry.Der.AsSpan().SequenceEqual(der))
            {
                return entry;
            }
        }

        return null;
    }
}
