namespace PrivateCa.Bundle.Internal;

/// <summary>An environment variable that is set but not read, because <paramref name="DecidedBy"/> comes first (or BundlePaths are set).</summary>
internal sealed record UnusedVariable(string Variable, string Value, string DecidedBy)
{
    public BundleDiagnostic ToDiagnostic() => new(
        BundleDiagnosticCode.EnvironmentVariableNotUsed,
        BundleDiagnosticSeverity.Warning,
        Value,
        null,
        null,
        null,
        $"{Variable} is set ({Value}) but not used: {DecidedBy} decides, as each tool these variables come from reads one. Unset {Variable}, or put its certificates in what {DecidedBy} names.");
}
