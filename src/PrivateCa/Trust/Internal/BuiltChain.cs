using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// What a chain build found, as data: the certificates leaf first, each one's status flags and the chain's.
/// Made by <see cref="ChainBuilder"/>; read by the evaluation, which needs no <see cref="X509Chain"/>.
/// </summary>
internal sealed class BuiltChain
{
    public static readonly BuiltChain Empty = new([], [], X509ChainStatusFlags.NoError);

    public BuiltChain(X509Certificate2[] elements, X509ChainStatusFlags[] elementFlags, X509ChainStatusFlags chainFlags)
    {
        Elements = elements;
        ElementFlags = elementFlags;
        ChainFlags = chainFlags;
    }

    /// <summary>Leaf first, anchor last. Made by the chain engine: the caller's leaf is not among them.</summary>
    public X509Certificate2[] Elements { get; }

    public X509ChainStatusFlags[] ElementFlags { get; }

    /// <summary>The chain's own flags, and every element's.</summary>
    public X509ChainStatusFlags ChainFlags { get; }

    public static BuiltChain From(X509Chain chain)
    {
        var count = chain.ChainElements.Count;
        var elements = new X509Certificate2[count];
        var flags = new X509ChainStatusFlags[count];
        var all = X509ChainStatusFlags.NoError;
        for (var i = 0; i < count; i++)
        {
            var element = chain.ChainElements[i];
            elements[i] = element.Certificate;
            foreach (var status in element.ChainElementStatus)
            {
                flags[i] |= status.Status;
            }

            all |= flags[i];
        }

        foreach (var status in chain.ChainStatus)
        {
            all |= status.Status;
        }

        return new BuiltChain(elements, flags, all);
    }
}
