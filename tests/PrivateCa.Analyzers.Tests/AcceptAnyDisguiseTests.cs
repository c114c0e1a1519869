namespace PrivateCa.Analyzers.Tests;

/// <summary>
/// Disguises a hostile review tried on PCA001 (issue 22): the constant true in a local, a throw that rejects nothing a
/// server sends, and a real validation (a void helper that throws on errors) that must not be reported.
/// </summary>
public sealed class AcceptAnyDisguiseTests
{
    [Fact]
    public Task Analyze_AcceptAnyThroughLocalVariable_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:(message, certificate, chain, errors) =>
            {
                var accept = true;
                Console.WriteLine(errors);
                return accept;
            }|};
        }
        """);

    [Fact]
    public Task Analyze_AcceptAnyWithAnUnrelatedNullGuardThrow_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            // The throw rejects nothing a server can send (the platform never passes a null request): every server is accepted.
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:(message, certificate, chain, errors) =>
            {
                ArgumentNullException.ThrowIfNull(message);
                if (message.RequestUri is null)
                {
                    throw new ArgumentException("no URI", nameof(message));
                }

                Console.WriteLine($"TLS errors ignored: {errors}");
                return true;
            }|};
        }
        """);

    [Fact]
    public Task Analyze_VoidHelperThatThrowsOnErrorsThenReturnTrue_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            // Real validation: the helper throws on any error, so a bad server is rejected by the exception.
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) =>
            {
                EnsureTrusted(errors);
                return true;
            };

            static void EnsureTrusted(SslPolicyErrors errors)
            {
                if (errors != SslPolicyErrors.None)
                {
                    throw new AuthenticationException($"The server was rejected: {errors}");
                }
            }
        }
        """);
}
