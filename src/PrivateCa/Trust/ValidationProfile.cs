namespace PrivateCa;

/// <summary>How strictly certificates are judged, beyond the platform chain engine.</summary>
public enum ValidationProfile
{
    /// <summary>The platform chain engine with custom roots, server-auth usage and host-name matching.</summary>
    Platform,

    /// <summary><see cref="Platform"/> plus the checks WebPKI validators and RFC 5280 require and OpenSSL and .NET skip.</summary>
    Strict,
}
