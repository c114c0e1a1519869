namespace ModelClient;

/// <summary>The sample's exit codes: the same table as the privateca tool's.</summary>
public static class ExitCode
{
    /// <summary>The endpoint answered over trusted TLS.</summary>
    public const int Ok = 0;

    /// <summary>The command line could not be parsed; usage was printed.</summary>
    public const int Usage = 1;

    /// <summary>Bad input: a CA bundle or option that cannot be used (missing file, no certificate, bad configuration).</summary>
    public const int BadInput = 2;

    /// <summary>The endpoint's certificate was rejected; PrivateCa's explanation was printed.</summary>
    public const int Untrusted = 3;

    /// <summary>No answer from the endpoint: refused, timed out, name not resolved, or an HTTP error status.</summary>
    public const int NetworkFailure = 4;
}
