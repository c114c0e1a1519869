using System.Security.Cryptography.X509Certificates;
using PrivateCa.X509.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>Which certificate's extendedKeyUsage keeps a chain from server authentication, and its usages in words.</summary>
internal static class ExtendedKeyUsageText
{
    /// <summary>The first certificate of the chain, leaf first, whose extendedKeyUsage excludes serverAuth; null when none does.</summary>
    public static int? Culprit(X509Certificate2[] elements)
    {
        for (var i = 0; i < elements.Length; i++)
        {
            foreach (var extension in elements[i].Extensions)
            {
                if (extension is X509EnhancedKeyUsageExtension eku
                    && !eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value is Oids.ServerAuth or Oids.AnyExtendedKeyUsage))
                {
                    return i;
                }
            }
        }

        return null;
    }

    /// <summary>At most ten usages by name, then how many more: the list comes from the server.</summary>
    public static string Of(X509Certificate2 certificate)
    {
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().SelectMany(e => e.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>())
            .Select(o => o.FriendlyName ?? o.Value ?? string.Empty).ToList();
        return usages.Count == 0 ? "none"
            : usages.Count <= 10 ? string.Join(", ", usages)
            : $"{string.Join(", ", usages.Take(10))} and {usages.Count - 10} more";
    }
}
