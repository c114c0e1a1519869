using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Trust.Internal.Names;

/// <summary>
/// One GeneralName as read from a subjectAltName or a name constraint: <see cref="Text"/> for the IA5String forms
/// (rfc822Name, dNSName, URI), <see cref="Octets"/> for the others (the address and mask of an iPAddress, the encoded
/// Name of a directoryName, the whole encoding of the forms PrivateCa does not evaluate).
/// </summary>
internal readonly record struct GeneralName(GeneralNameType Type, string Text, ReadOnlyMemory<byte> Octets)
{
    /// <summary>The name as messages show it (for example <c>DNS:model.internal</c>); control characters are the renderer's to escape.</summary>
    public override string ToString() => Type switch
    {
        GeneralNameType.DnsName => $"DNS:{Text}",
        GeneralNameType.Rfc822Name => $"email:{Text}",
        GeneralNameType.Uri => $"URI:{Text}",
        GeneralNameType.IpAddress => $"IP:{Address(Octets.Span)}",
        GeneralNameType.DirectoryName => $"DirName:{Directory(Octets)}",
        GeneralNameType.OtherName => "otherName",
        GeneralNameType.X400Address => "x400Address",
        GeneralNameType.EdiPartyName => "ediPartyName",
        _ => "registeredID",
    };

    private static string Address(ReadOnlySpan<byte> octets) => octets.Length switch
    {
        4 or 16 => new IPAddress(octets).ToString(),
        8 => $"{new IPAddress(octets[..4])}/{new IPAddress(octets[4..])}",
        32 => $"{new IPAddress(octets[..16])}/{new IPAddress(octets[16..])}",
        _ => $"<{octets.Length} octets>",
    };

    private static string Directory(ReadOnlyMemory<byte> name)
    {
        try
        {
            return new X500DistinguishedName(name.Span).Name;
        }
        catch (CryptographicException)
        {
            return "<malformed name>";
        }
    }
}
