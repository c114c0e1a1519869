using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Trust.Internal;

/// <summary>The options that decide a verdict, read once from <see cref="PrivateCaTrustOptions"/> and checked (host patterns, pins).</summary>
internal sealed class TrustSettings
{
    public TrustSettings(PrivateCaTrustOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Scope = new HostScope(options.Hosts);
        Pins = new SpkiPins(options.PinnedSpkiSha256);
        Mode = options.Mode;
        RevocationMode = options.RevocationMode;
        AllowIntermediateAnchors = options.AllowIntermediateAnchors;
        AllowCommonNameFallback = options.AllowCommonNameFallback;
        Profile = options.Profile;
    }

    public HostScope Scope { get; }

    public SpkiPins Pins { get; }

    public TrustMode Mode { get; }

    public X509RevocationMode RevocationMode { get; }

    public bool AllowIntermediateAnchors { get; }

    public bool AllowCommonNameFallback { get; }

    public ValidationProfile Profile { get; }
}
