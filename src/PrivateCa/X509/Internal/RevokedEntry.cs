namespace PrivateCa.X509.Internal;

/// <summary>One revoked certificate of a CRL: when, and the reason code when the CRL gives one (RFC 5280 §5.3.1).</summary>
internal readonly record struct RevokedEntry(DateTimeOffset RevokedAt, int? Reason)
{
    /// <summary>The reason in words, as RFC 5280 names it.</summary>
    public string ReasonText => Reason switch
    {
        null => "no reason given",
        0 => "unspecified",
        1 => "keyCompromise",
        2 => "cACompromise",
        3 => "affiliationChanged",
        4 => "superseded",
        5 => "cessationOfOperation",
        6 => "certificateHold",
        8 => "removeFromCRL",
        9 => "privilegeWithdrawn",
        10 => "aACompromise",
        var other => $"reason code {other}",
    };
}
