namespace PrivateCa.Bundle.Internal;

/// <summary>What <see cref="PemScanner.Scan"/> found: the blocks in order, and the first broken marker, if any.</summary>
internal sealed record PemScanResult(List<PemBlock> Blocks, int? ErrorLine, string? Error);
