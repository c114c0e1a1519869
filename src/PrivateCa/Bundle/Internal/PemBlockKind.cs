namespace PrivateCa.Bundle.Internal;

/// <summary>What a PEM block's label says it holds.</summary>
internal enum PemBlockKind
{
    Certificate,
    Trusted,
    Pkcs7,
    Other,
}
