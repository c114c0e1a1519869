namespace PrivateCa.Trust.Internal;

/// <summary>A bundle anchor as a verdict names it: its subject and the source it came from.</summary>
internal sealed record AnchorSummary(string Subject, string Source);
