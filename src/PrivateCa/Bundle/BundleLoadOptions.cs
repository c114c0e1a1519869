namespace PrivateCa;

/// <summary>How <see cref="CertificateBundleLoader"/> treats its input.</summary>
public sealed class BundleLoadOptions
{
    /// <summary>The default largest file read: 16 MiB (Debian's 144-certificate bundle is about 0.2 MiB).</summary>
    public const long DefaultMaxFileSize = 16L * 1024 * 1024;

    private long _maxFileSize = DefaultMaxFileSize;

    internal static BundleLoadOptions Default { get; } = new();

    /// <summary>Gets or sets whether a malformed PEM block or an unreadable file inside a directory is skipped
    /// and reported as a <see cref="BundleDiagnosticSeverity.Error"/> diagnostic instead of failing the load.</summary>
    /// <value>Default <see langword="false"/>: malformed input fails the load with a <see cref="CertificateBundleException"/>.
    /// A named path that is missing or holds no certificate at all fails the load either way.</value>
    public bool SkipMalformedInput { get; set; }

    /// <summary>Gets or sets the largest file the loader reads, in bytes; a larger file fails the load.</summary>
    /// <value>Default <see cref="DefaultMaxFileSize"/> (16 MiB); from 1 to 1 GiB.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is under 1 byte or over 1 GiB.</exception>
    public long MaxFileSize
    {
        get => _maxFileSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1L << 30);
            _maxFileSize = value;
        }
    }

    /// <summary>Gets or sets the clock used to report expired and not-yet-valid certificates.</summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
