namespace PrivateCa.Trust.Internal.Names;

/// <summary>The choices of RFC 5280's GeneralName, numbered by their context-specific tag.</summary>
internal enum GeneralNameType
{
    OtherName = 0,
    Rfc822Name = 1,
    DnsName = 2,
    X400Address = 3,
    DirectoryName = 4,
    EdiPartyName = 5,
    Uri = 6,
    IpAddress = 7,
    RegisteredId = 8,
}
