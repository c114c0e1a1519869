namespace PrivateCa.Trust.Internal.Names;

/// <summary>A name of certificate <see cref="Certificate"/> (chain index, leaf 0) that the constraints of <see cref="Authority"/> do not allow,
/// or constraints of <see cref="Authority"/> that cannot be evaluated (then both indexes are the authority's).</summary>
internal readonly record struct NameConstraintViolation(int Certificate, int Authority, string Reason);
