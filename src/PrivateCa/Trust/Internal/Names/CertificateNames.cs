namespace PrivateCa.Trust.Internal.Names;

/// <summary>The names of one certificate of a chain and the name constraints it imposes, each read once.</summary>
internal sealed class CertificateNames
{
    private CertificateNames(string display, ReadOnlyMemory<byte> subject, bool selfIssued)
    {
        Display = display;
        Subject = subject;
        SelfIssued = selfIssued;
    }

    /// <summary>The subject as messages show it.</summary>
    public string Display { get; }

    /// <summary>The encoded subject Name.</summary>
    public ReadOnlyMemory<byte> Subject { get; }

    public bool SelfIssued { get; }

    /// <summary>The subjectAltName's names; empty without one.</summary>
    public IReadOnlyList<GeneralName> AltNames { get; private init; } = [];

    /// <summary>Whether a subjectAltName is present but does not parse.</summary>
    public bool AltNamesMalformed { get; private init; }

    /// <summary>Whether the certificate has a nameConstraints extension.</summary>
    public bool HasConstraints { get; private init; }

    /// <summary>The parsed name constraints; null without them or when they do not parse (<see cref="ConstraintsProblem"/> says why).</summary>
    public NameConstraintsValue? Constraints { get; private init; }

    public string? ConstraintsProblem { get; private init; }

    /// <param name="display">The subject as messages show it.</param>
    /// <param name="subject">The encoded subject Name.</param>
    /// <param name="selfIssued">Whether subject and issuer are the same Name.</param>
    /// <param name="subjectAltName">The subjectAltName extension value, when present.</param>
    /// <param name="nameConstraints">The nameConstraints extension value, when present.</param>
    public static CertificateNames Read(string display, ReadOnlyMemory<byte> subject, bool selfIssued, ReadOnlyMemory<byte>? subjectAltName, ReadOnlyMemory<byte>? nameConstraints)
    {
        var altNames = new List<GeneralName>();
        var malformed = subjectAltName is { } san && !GeneralNameReader.TryReadSubjectAltName(san, altNames);
        string? problem = null;
        var constraints = nameConstraints is { } value ? NameConstraintsValue.TryParse(value, out problem) : null;
        return new CertificateNames(display, subject, selfIssued)
        {
            AltNames = altNames,
            AltNamesMalformed = malformed,
            HasConstraints = nameConstraints is not null,
            Constraints = constraints,
            ConstraintsProblem = problem,
        };
    }
}
