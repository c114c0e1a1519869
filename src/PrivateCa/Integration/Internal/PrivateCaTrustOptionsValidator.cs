using Microsoft.Extensions.Options;
using PrivateCa.Trust.Internal;
using PrivateCa.X509.Internal;

namespace PrivateCa.Integration.Internal;

/// <summary>
/// Checks the fields of the options, and nothing else: no file is read here (options validation results are cached for
/// the life of the options, so a file that appears later must not be judged here). Loading is the trust-source cache's work,
/// and its start-up report is <see cref="PrivateCaLoadCheckValidator"/>.
/// </summary>
internal sealed class PrivateCaTrustOptionsValidator : IValidateOptions<PrivateCaTrustOptions>
{
    private readonly PrivateCaTrustOptionsDataValidator _data = new();

    public ValidateOptionsResult Validate(string? name, PrivateCaTrustOptions options)
    {
        var client = PrivateCaLoadCheckValidator.Client(name);
        var result = new ValidateOptionsResultBuilder();

        // Paths, patterns, pins and the client name come from configuration: each message is escaped like every text from input.
        void Error(string message) => result.AddError(NameText.Escape(message));

        result.AddResult(_data.Validate(name, options));
        if (options.ClientKeyPath is not null && options.ClientCertificatePath is null)
        {
            Error($"PrivateCa ({client}): ClientKeyPath is set ({options.ClientKeyPath}) but ClientCertificatePath is not; a client key needs its certificate.");
        }

        foreach (var pattern in options.Hosts)
        {
            if (HostScope.Problem(pattern) is { } problem)
            {
                Error($"PrivateCa ({client}): {problem}");
            }
        }

        foreach (var pin in options.PinnedSpkiSha256)
        {
            if (!SpkiPins.TryParse(pin, out _))
            {
                Error($"PrivateCa ({client}): {SpkiPins.Problem(pin)}");
            }
        }

        foreach (var path in options.BundlePaths.Concat([options.ClientCertificatePath, options.ClientKeyPath]).OfType<string>())
        {
            if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal))
            {
                Error($"PrivateCa ({client}): the path '{path}' is blank or holds a NUL character; give a file or directory path.");
            }
        }

        return result.Build();
    }
}
