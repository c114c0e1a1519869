using PrivateCa.X509.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>A CRL and the file it was read from.</summary>
internal sealed record LoadedRevocationList(RevocationList List, string Source);
