namespace PrivateCa.Tests.Reliability;

/// <summary>
/// Sizes of the reliability suite: modest by default (CI), full with PRIVATECA_RELIABILITY=full:
/// PRIVATECA_RELIABILITY=full dotnet test PrivateCa.sln --filter Category=Reliability --logger "console;verbosity=detailed"
/// </summary>
internal static class ReliabilityScale
{
    public static bool Full { get; } = string.Equals(Environment.GetEnvironmentVariable("PRIVATECA_RELIABILITY"), "full", StringComparison.OrdinalIgnoreCase);

    public static int FuzzInputs => Full ? 100_000 : 6_000;

    /// <summary>Mutated certificates that still load, judged by 'openssl x509' too: one process each (about 30 ms).</summary>
    public static int FuzzOpenSslSample => Full ? 200 : 12;

    public static int TrustFuzzCertificates => Full ? 20_000 : 2_000;

    /// <summary>Rounds of the outside-verifier differential test: every kind once in CI, with other keys in later rounds.</summary>
    public static int DifferentialRounds => Full ? 25 : 1;

    public static int SoakClients => 64;

    public static int SoakRequests => Full ? 20_000 : 2_000;

    public static int SoakRotations => Full ? 50 : 10;

    public static int HandlerCreations => Full ? 10_000 : 2_000;
}
