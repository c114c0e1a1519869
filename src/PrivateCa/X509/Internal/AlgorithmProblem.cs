namespace PrivateCa.X509.Internal;

/// <summary>Why an algorithm or key is not accepted: <paramref name="Description"/> names it ("a 1024-bit RSA key");
/// <paramref name="Malformed"/> when it does not decode at all.</summary>
internal sealed record AlgorithmProblem(string Description, bool Malformed);
