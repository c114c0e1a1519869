namespace PrivateCa.Cli;

/// <summary>The tool's exit codes (documented in the README).</summary>
internal static class ExitCodes
{
    /// <summary>Trusted, or the command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>The command line could not be parsed (System.CommandLine's own code).</summary>
    public const int Usage = 1;

    /// <summary>Bad input: a bundle, chain or output path that cannot be used.</summary>
    public const int BadInput = 2;

    /// <summary>The server or chain is not trusted.</summary>
    public const int Untrusted = 3;

    /// <summary>The server could not be reached (refused, timed out, name not resolved).</summary>
    public const int NetworkFailure = 4;
}
