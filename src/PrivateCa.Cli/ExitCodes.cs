namespace PrivateCa.Cli;

/// <summary>The tool's exit codes: the one table, documented in the README and used by samples/ModelClient.</summary>
internal static class ExitCodes
{
    /// <summary>Trusted, or the command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>The command line could not be parsed: an unknown option or command, a missing argument.</summary>
    public const int Usage = 1;

    /// <summary>Bad input: a bundle, chain or path that cannot be used, or an option value that is not valid.</summary>
    public const int BadInput = 2;

    /// <summary>The server or chain is not trusted.</summary>
    public const int Untrusted = 3;

    /// <summary>The server could not be reached (refused, timed out, name not resolved, the proxy refused the tunnel).</summary>
    public const int NetworkFailure = 4;

    /// <summary>probe: the server was trusted, but it refused the client certificate presented with --client-cert.</summary>
    public const int ClientCertificateRefused = 5;
}
