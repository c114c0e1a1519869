namespace PrivateCa;

/// <summary>Which roots a handler trusts for the hosts in scope.</summary>
public enum TrustMode
{
    /// <summary>Only the bundle's anchors; the system's roots are not trusted for hosts in scope.</summary>
    CustomRootTrust,

    /// <summary>The system's own verdict first; when the system does not trust the chain only for want of a root, the bundle's anchors are tried.
    /// A chain the system rejects for another reason (expired, revoked, bad signature, wrong usage) stays rejected.</summary>
    SystemAndCustomRoots,
}
