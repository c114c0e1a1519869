namespace PrivateCa.Bundle.Internal;

/// <summary>The bundle certificates handed to one chain build.</summary>
internal sealed record Candidates(List<CertificateEntry> Anchors, List<CertificateEntry> Intermediates);
