using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Bundle.Internal;
using PrivateCa.X509.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>The chain policies PrivateCa hands the platform chain engine, and the builds: with the candidate anchors only, or with system trust.</summary>
internal static class ChainBuilder
{
    /// <summary>The bound on each CRL or OCSP fetch when revocation is checked.</summary>
    public static readonly TimeSpan RevocationFetchTimeout = TimeSpan.FromSeconds(5);

    private static readonly Oid ServerAuth = new(Oids.ServerAuth, "Server Authentication");

    /// <summary>A build with <see cref="X509ChainTrustMode.CustomRootTrust"/> and only <paramref name="candidates"/> as anchors.</summary>
    public static BuiltChain BuildCustom(X509Certificate2 leaf, X509Certificate2Collection? presented, Candidates candidates, X509RevocationMode revocation, DateTimeOffset? verificationTime)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        Configure(policy, revocation, verificationTime);
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        foreach (var anchor in candidates.Anchors)
        {
            if (TryCertificate(anchor) is { } certificate)
            {
                policy.CustomTrustStore.Add(certificate);
            }
        }

        if (presented is not null)
        {
            policy.ExtraStore.AddRange(presented);
        }

        foreach (var intermediate in candidates.Intermediates)
        {
            if (TryCertificate(intermediate) is { } certificate)
            {
                policy.ExtraStore.Add(certificate);
            }
        }

        chain.Build(leaf);
        return BuiltChain.From(chain);
    }

    /// <summary>A build with the system's trusted roots.</summary>
    public static BuiltChain BuildSystem(X509Certificate2 leaf, X509Certificate2Collection? presented, X509RevocationMode revocation, DateTimeOffset? verificationTime)
    {
        using var chain = new X509Chain();
        Configure(chain.ChainPolicy, revocation, verificationTime);
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.System;
        if (presented is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(presented);
        }

        chain.Build(leaf);
        return BuiltChain.From(chain);
    }

    private static void Configure(X509ChainPolicy policy, X509RevocationMode revocation, DateTimeOffset? verificationTime)
    {
        // Set on every policy: .NET 10 defaults to Online, which stalls on private CAs without a CRL.
        policy.RevocationMode = revocation;
        policy.RevocationFlag = X509RevocationFlag.ExcludeRoot;
        policy.UrlRetrievalTimeout = RevocationFetchTimeout;
        policy.DisableCertificateDownloads = true;
        policy.ApplicationPolicy.Add(ServerAuth);
        if (verificationTime is { } time)
        {
            policy.VerificationTimeIgnored = false;
            policy.VerificationTime = time.LocalDateTime;
        }
    }

    /// <summary>A bundle certificate the platform cannot decode anchors nothing: it is left out, which fails closed.</summary>
    private static X509Certificate2? TryCertificate(CertificateEntry entry)
    {
        try
        {
            return entry.Certificate;
        }
        catch (CertificateBundleException)
        {
            return null;
        }
    }
}
