namespace PrivateCa.Trust.Internal;

/// <summary>
/// One reason a chain is not trusted, with what to do about it. Both are kept as a format and its arguments
/// (names from certificates, paths, hosts) so that <see cref="VerdictRenderer"/> escapes every argument in one place.
/// </summary>
internal readonly record struct TrustProblem(TrustFailure Failure, FormattableString Reason, FormattableString Fix)
{
    /// <summary>The reason as rendered, arguments escaped.</summary>
    public string ReasonText => VerdictRenderer.Render(Reason);

    /// <summary>The fix as rendered, arguments escaped.</summary>
    public string FixText => VerdictRenderer.Render(Fix);
}
