using Microsoft.Extensions.Options;
using PrivateCa.Trust.Internal;

namespace PrivateCa.Integration.Internal;

/// <summary>Start-up checks that span properties or need the file system: pins, host patterns, the client key, and the bundle itself.</summary>
internal sealed class PrivateCaTrustOptionsValidator(TrustSourceCache sources) : IValidateOptions<PrivateCaTrustOptions>
{
    public ValidateOptionsResult Validate(string? name, PrivateCaTrustOptions options)
    {
        var client = string.IsNullOrEmpty(name) ? "the default client" : $"client '{name}'";
        var result = new ValidateOptionsResultBuilder();
        if (options.ClientKeyPath is not null && options.ClientCertificatePath is null)
        {
            result.AddError($"PrivateCa ({client}): ClientKeyPath is set ({options.ClientKeyPath}) but ClientCertificatePath is not; a client key needs its certificate.", nameof(options.ClientKeyPath));
        }

        Try(result, client, () => _ = new HostScope(options.Hosts));
        Try(result, client, () => _ = new SpkiPins(options.PinnedSpkiSha256));
        if (!Enum.IsDefined(options.Mode))
        {
            result.AddError($"PrivateCa ({client}): Mode '{options.Mode}' is not CustomRootTrust or SystemAndCustomRoots.", nameof(options.Mode));
        }

        if (!Enum.IsDefined(options.Profile))
        {
            result.AddError($"PrivateCa ({client}): Profile '{options.Profile}' is not Platform or Strict.", nameof(options.Profile));
        }

        try
        {
            sources.SourceFor(options);
        }
        catch (CertificateBundleException ex)
        {
            result.AddError($"PrivateCa ({client}): {ex.Message}", nameof(options.BundlePaths));
        }

        return result.Build();
    }

    private static void Try(ValidateOptionsResultBuilder result, string client, Action check)
    {
        try
        {
            check();
        }
        catch (ArgumentException ex)
        {
            result.AddError($"PrivateCa ({client}): {ex.Message.Replace(" (Parameter 'patterns')", string.Empty, StringComparison.Ordinal).Replace(" (Parameter 'pins')", string.Empty, StringComparison.Ordinal)}");
        }
    }
}
