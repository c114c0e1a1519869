using Microsoft.Extensions.Options;
using PrivateCa.X509.Internal;

namespace PrivateCa.Integration.Internal;

/// <summary>
/// Start-up report (ValidateOnStart) of whether each client's trust loads: the loader's message, which names the variable
/// or path and the fix, prefixed by the client. Loading goes through the trust-source cache, which keeps a success for the
/// clients and forgets a failure.
/// </summary>
internal sealed class PrivateCaLoadCheckValidator(PrivateCaTrustRegistry registry) : IValidateOptions<PrivateCaLoadCheck>
{
    /// <summary>The client for a message: its name comes from code or configuration and is escaped.</summary>
    public static string Client(string? name) => string.IsNullOrEmpty(name) ? "the default client" : $"client '{NameText.Escape(name)}'";

    public ValidateOptionsResult Validate(string? name, PrivateCaLoadCheck options)
    {
        var client = Client(name);
        ClientState state;
        try
        {
            state = registry.StateFor(name ?? Options.DefaultName);
        }
        catch (OptionsValidationException)
        {
            // The options' own validation reports their fields; nothing can load from invalid options.
            return ValidateOptionsResult.Skip;
        }

        var result = new ValidateOptionsResultBuilder();
        try
        {
            state.Source.Load();
        }
        catch (CertificateBundleException ex)
        {
            // Named after the property only when the property named the path; a variable's message names the variable.
            var fromPaths = !state.Source.Sources.FollowsEnvironment && state.Options.BundlePaths.Count > 0;
            result.AddError($"PrivateCa ({client}): {ex.Message}", fromPaths ? nameof(PrivateCaTrustOptions.BundlePaths) : null);
        }

        if (state.Certificate is { Current: null, LastError: { } error })
        {
            result.AddError($"PrivateCa ({client}): {error}");
        }

        return result.Build();
    }
}
