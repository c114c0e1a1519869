namespace PrivateCa;

/// <summary>How much a <see cref="BundleDiagnostic"/> matters.</summary>
public enum BundleDiagnosticSeverity
{
    /// <summary>Worth knowing; nothing needs to change.</summary>
    Information,

    /// <summary>Loaded, but likely to cause a rejection somewhere or to weaken the bundle; fix the bundle.</summary>
    Warning,

    /// <summary>Something in the input was not loaded (only in a lenient load; a strict load throws instead).</summary>
    Error,
}
