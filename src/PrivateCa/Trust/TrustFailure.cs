namespace PrivateCa;

/// <summary>Why a server was not trusted; stable values, usable as a metric dimension.</summary>
public enum TrustFailure
{
    /// <summary>The server was trusted.</summary>
    None,

    /// <summary>No anchor of the bundle (or of the system, where it counts) issues the chain.</summary>
    UntrustedRoot,

    /// <summary>A certificate of the chain is expired or not yet valid.</summary>
    NotTimeValid,

    /// <summary>The certificate is not for the host that was asked for.</summary>
    NameMismatch,

    /// <summary>A certificate lacks the server-authentication usage, or a key usage forbids its role.</summary>
    WrongUsage,

    /// <summary>A certificate that is not a CA issued another, or a path length constraint was exceeded.</summary>
    BasicConstraints,

    /// <summary>A name is outside a CA's name constraints.</summary>
    NameConstraints,

    /// <summary>A signature in the chain does not verify.</summary>
    BadSignature,

    /// <summary>A certificate is revoked, or its revocation status could not be learned.</summary>
    Revocation,

    /// <summary>No certificate of the chain matches the configured SPKI pins.</summary>
    PinMismatch,

    /// <summary>A Strict-profile rule was broken.</summary>
    StrictProfile,

    /// <summary>A certificate of the chain cannot be decoded: a malformed extension, a subjectAltName entry of the wrong
    /// shape, a duplicate extension.</summary>
    MalformedCertificate,

    /// <summary>A relied-on signature uses MD5 or SHA-1, or a key is too weak: RSA under 2048 bits, DSA, or an elliptic curve under 224 bits.</summary>
    WeakCryptography,

    /// <summary>The server sent no certificate, or the chain is otherwise invalid.</summary>
    Other,
}
