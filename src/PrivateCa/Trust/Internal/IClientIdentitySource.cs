namespace PrivateCa.Trust.Internal;

/// <summary>Where a client's mTLS identity comes from: the pair in force, or why there is none.</summary>
internal interface IClientIdentitySource
{
    /// <summary>The pair in force; null when none has loaded.</summary>
    ClientIdentity? Current { get; }

    /// <summary>Why the last load failed; null after a success.</summary>
    string? LastError { get; }
}
