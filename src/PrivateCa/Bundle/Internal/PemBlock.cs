namespace PrivateCa.Bundle.Internal;

/// <summary>One PEM block: its label, the 1-based line of its BEGIN marker, and where its base64 body lies.</summary>
internal readonly record struct PemBlock(string Label, int Line, int BodyStart, int BodyLength);
