namespace PrivateCa.Tests.Differential;

/// <summary>
/// A known, explained difference between PrivateCa under <paramref name="Profile"/> and an outside verifier on one kind of
/// case: <paramref name="PrivateCaTrusts"/> says which way round. Each is listed in docs/security-model.md.
/// </summary>
internal sealed record Disagreement(string Judge, string Profile, string Kind, bool PrivateCaTrusts, string Reason);
