namespace PrivateCa.Trust.Internal;

/// <summary>One reason a chain is not trusted, in words, with what to do about it.</summary>
internal readonly record struct TrustProblem(TrustFailure Failure, string Reason, string Fix);
