namespace PrivateCa.Analyzers.Tests;

public sealed class AcceptAnyCertificateAnalyzerTests
{
    // ---- flagged: PCA001 ----

    [Fact]
    public Task Analyze_DangerousAcceptAnyServerCertificateValidator_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            HttpClientHandler Make() => new() { ServerCertificateCustomValidationCallback = {|PCA001:HttpClientHandler.DangerousAcceptAnyServerCertificateValidator|} };
        }
        """);

    [Fact]
    public Task Analyze_ServerCertificateCallbackReturningTrue_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:(message, certificate, chain, errors) => true|};
        }
        """);

    [Fact]
    public Task Analyze_DiscardedParametersReturningTrue_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:(_, _, _, _) => true|};
        }
        """);

    [Fact]
    public Task Analyze_CallbackThatLogsErrorsButReturnsTrueOnEveryPath_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:(message, certificate, chain, errors) =>
            {
                if (errors != SslPolicyErrors.None)
                {
                    Console.WriteLine(errors);
                    return true;
                }

                return true;
            }|};
        }
        """);

    [Fact]
    public Task Analyze_CallbackThatNeverReadsPolicyErrors_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) =>
                handler.ServerCertificateCustomValidationCallback = {|PCA001:(message, certificate, chain, errors) => certificate is not null && chain!.Build(certificate)|};
        }
        """);

    [Fact]
    public Task Analyze_SocketsHttpHandlerSslOptionsCallback_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(SocketsHttpHandler handler) => handler.SslOptions.RemoteCertificateValidationCallback = {|PCA001:(sender, certificate, chain, errors) => true|};
        }
        """);

    [Fact]
    public Task Analyze_SslClientAuthenticationOptionsAnonymousMethod_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            SslClientAuthenticationOptions Make() => new() { RemoteCertificateValidationCallback = {|PCA001:delegate { return true; }|} };
        }
        """);

    [Fact]
    public Task Analyze_RemoteCertificateValidationCallbackMethodGroup_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            SslStream Open(Stream stream) => new(stream, false, new RemoteCertificateValidationCallback({|PCA001:AcceptAll|}));

            static bool AcceptAll(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;
        }
        """);

    [Fact]
    public Task Analyze_SslStreamLambdaArgument_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            SslStream Open(Stream stream) => new(stream, false, {|PCA001:(sender, certificate, chain, errors) => true|});
        }
        """);

    [Fact]
    public Task Analyze_ServicePointManagerCallback_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
        #pragma warning disable SYSLIB0014
            void Configure() => ServicePointManager.ServerCertificateValidationCallback += {|PCA001:(sender, certificate, chain, errors) => true|};
        #pragma warning restore SYSLIB0014
        }
        """);

    [Fact]
    public Task Analyze_MethodGroupInAnotherPartialFile_ReportsPca001()
    {
        var test = new Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<AcceptAnyCertificateAnalyzer, Microsoft.CodeAnalysis.Testing.DefaultVerifier>();
        test.TestState.Sources.Add(Verify.Usings + """
            partial class C
            {
                void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:Accept|};
            }
            """);
        test.TestState.Sources.Add(Verify.Usings + """
            partial class C
            {
                static bool Accept(HttpRequestMessage message, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
                {
                    Console.WriteLine(message.RequestUri);
                    return true;
                }
            }
            """);
        test.TestState.ReferenceAssemblies = References.None;
        test.TestState.AdditionalReferences.AddRange(References.Framework);
        return test.RunAsync();
    }

    // ---- disguised accept-any: true for every SslPolicyErrors value (flags 0..7) ----

    [Fact]
    public Task Analyze_ErrorsCheckOrTrue_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:(m, c, ch, e) => e == SslPolicyErrors.None || true|};
        }
        """);

    [Fact]
    public Task Analyze_ErrorsAtLeastNone_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:(m, c, ch, e) => e >= SslPolicyErrors.None|};
        }
        """);

    [Fact]
    public Task Analyze_ErrorsMaskedWithComplementOfNoneEqualErrors_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:(m, c, ch, e) => (e & ~SslPolicyErrors.None) == e|};
        }
        """);

    [Fact]
    public Task Analyze_ErrorsHasFlagNone_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(SocketsHttpHandler handler) => handler.SslOptions.RemoteCertificateValidationCallback = {|PCA001:(sender, certificate, chain, errors) => errors.HasFlag(SslPolicyErrors.None)|};
        }
        """);

    [Fact]
    public Task Analyze_SwitchExpressionTrueInEveryArm_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:(message, certificate, chain, errors) => errors switch
            {
                SslPolicyErrors.None => true,
                _ => true,
            }|};
        }
        """);

    [Fact]
    public Task Analyze_RelationalPatternMatchingEveryErrors_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:(message, certificate, chain, errors) => errors is >= SslPolicyErrors.None and <= (SslPolicyErrors)7|};
        }
        """);

    [Fact]
    public Task Analyze_ConditionalWithTrueInBothBranches_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:(message, certificate, chain, errors) =>
                errors == SslPolicyErrors.None ? true : chain is not null || errors != SslPolicyErrors.None|};
        }
        """);

    [Fact]
    public Task Analyze_CallbackReturningHelperThatReturnsTrue_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:(m, c, ch, e) => Accept(e)|};

            static bool Accept(SslPolicyErrors e) => true;
        }
        """);

    [Fact]
    public Task Analyze_CallbackReturningHelperWhoseEveryReturnIsTrue_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:(message, certificate, chain, errors) => Accept(errors, message)|};

            static bool Accept(SslPolicyErrors errors, HttpRequestMessage message)
            {
                if (errors != SslPolicyErrors.None)
                {
                    Console.WriteLine($"{message.RequestUri}: {errors}");
                    return true;
                }

                return true;
            }
        }
        """);

    [Fact]
    public Task Analyze_HelperTrueForEveryErrorsValueItIsGiven_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:(message, certificate, chain, errors) => Tolerable(errors)|};

            static bool Tolerable(SslPolicyErrors found) => (found & SslPolicyErrors.RemoteCertificateChainErrors) == 0 || IsChainProblem(found);

            static bool IsChainProblem(SslPolicyErrors found) => (int)found >= 4;
        }
        """);

    [Fact]
    public Task Analyze_LocalFunctionTrueForEveryErrors_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:(message, certificate, chain, errors) =>
            {
                return Acceptable(errors);

                static bool Acceptable(SslPolicyErrors found) => found == SslPolicyErrors.None || found != SslPolicyErrors.None;
            }|};
        }
        """);

    [Fact]
    public Task Analyze_ServerCertificateCallbackMethodGroupReturningTrue_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:AcceptAll|};

            static bool AcceptAll(HttpRequestMessage message, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors) => true;
        }
        """);

    [Fact]
    public Task Analyze_MethodGroupReturningHelperThatReturnsTrue_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:AcceptAll|};

            static bool AcceptAll(HttpRequestMessage message, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors) => Accept(errors);

            static bool Accept(SslPolicyErrors errors) => true;
        }
        """);

    // ---- look-alikes that really validate: no diagnostic ----

    [Fact]
    public Task Analyze_CallbackAcceptingOnlyWithoutErrors_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => errors == SslPolicyErrors.None;
        }
        """);

    [Fact]
    public Task Analyze_CallbackThatThrowsOnErrorsAndOtherwiseReturnsTrue_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) =>
            {
                if (errors != SslPolicyErrors.None)
                {
                    throw new AuthenticationException($"{message.RequestUri?.Host} was rejected: {errors}");
                }

                return true;
            };
        }
        """);

    [Fact]
    public Task Analyze_CallbackWithPinFallbackThatReadsErrors_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            static readonly string Pin = "abc";

            void Configure(SocketsHttpHandler handler) => handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            {
                if (errors == SslPolicyErrors.None)
                {
                    return true;
                }

                return errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate?.GetCertHashString() == Pin;
            };
        }
        """);

    [Fact]
    public Task Analyze_CallbackRejectingEverything_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => false;
        }
        """);

    [Fact]
    public Task Analyze_NestedLambdaReturningTrueInsideValidatingCallback_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) =>
            {
                Func<bool> always = () => true;
                return errors == SslPolicyErrors.None && always();
            };
        }
        """);

    [Fact]
    public Task Analyze_MethodGroupThatValidates_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            SslStream Open(Stream stream) => new(stream, false, Check);

            static bool Check(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => errors == SslPolicyErrors.None;
        }
        """);

    [Fact]
    public Task Analyze_UnrelatedDelegateReturningTrue_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            Func<HttpRequestMessage, X509Certificate2?, X509Chain?, bool> Callback { get; } = (message, certificate, chain) => true;
            Predicate<SslPolicyErrors> Any { get; } = errors => true;
            Func<string, bool> ServerCertificateCustomValidationCallback { get; } = host => true;
        }
        """);

    [Fact]
    public Task Analyze_ClientCertificateValidators_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            // Kestrel's ClientCertificateValidation shape and SslServerAuthenticationOptions judge clients, not servers.
            Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool> ClientCertificateValidation { get; } = (certificate, _, _) => certificate.Issuer == "CN=Clients";
            SslServerAuthenticationOptions Server() => new() { RemoteCertificateValidationCallback = (sender, certificate, chain, errors) => certificate is not null };
        }
        """);

    [Fact]
    public Task Analyze_ErrorsAtLeastNotAvailable_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (m, c, ch, e) => e >= SslPolicyErrors.RemoteCertificateNotAvailable;
        }
        """);

    [Fact]
    public Task Analyze_ErrorsMaskedWithComplementOfChainErrorsEqualErrors_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (m, c, ch, e) => (e & ~SslPolicyErrors.RemoteCertificateChainErrors) == e;
        }
        """);

    [Fact]
    public Task Analyze_NoErrorsAndChainBuilds_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (m, c, ch, e) => e == SslPolicyErrors.None && ch!.Build(c!);
        }
        """);

    [Fact]
    public Task Analyze_ChainErrorsToleratedOnlyWithChainChecks_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) =>
                (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == 0 && chain is not null && chain.ChainStatus.Length == 0;
        }
        """);

    [Fact]
    public Task Analyze_NoErrorsOrThumbprintMatches_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            const string Thumbprint = "0123456789ABCDEF0123456789ABCDEF01234567";

            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) =>
                errors == SslPolicyErrors.None || (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate?.Thumbprint == Thumbprint);
        }
        """);

    [Fact]
    public Task Analyze_HasFlagOfARealError_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(SocketsHttpHandler handler) => handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) && !errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) && chain is not null;
        }
        """);

    [Fact]
    public Task Analyze_SwitchExpressionRejectingErrors_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => errors switch
            {
                SslPolicyErrors.None => true,
                SslPolicyErrors.RemoteCertificateChainErrors when chain is not null => chain.ChainStatus.Length == 0,
                _ => false,
            };
        }
        """);

    [Fact]
    public Task Analyze_PatternMatchingSomeErrors_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) =>
                errors is SslPolicyErrors.None or SslPolicyErrors.RemoteCertificateChainErrors;
        }
        """);

    [Fact]
    public Task Analyze_HelperThatValidates_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (m, c, ch, e) => Accept(e);

            static bool Accept(SslPolicyErrors e) => e == SslPolicyErrors.None;
        }
        """);

    [Fact]
    public Task Analyze_HelperThatThrowsOnErrorsAndOtherwiseReturnsTrue_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (m, c, ch, e) => Accept(e);

            static bool Accept(SslPolicyErrors e)
            {
                if (e != SslPolicyErrors.None)
                {
                    throw new AuthenticationException($"The server was rejected: {e}");
                }

                return true;
            }
        }
        """);

    [Fact]
    public Task Analyze_CallbackCallsThrowingValidatorThenReturnsTrue_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            // Rejects by throwing from a helper of this compilation, as PrivateCa's own callback does.
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (m, c, ch, e) =>
            {
                EnsureTrusted(e);
                return true;
            };

            static void EnsureTrusted(SslPolicyErrors e) => Check(e);

            static void Check(SslPolicyErrors e)
            {
                if (e != SslPolicyErrors.None)
                {
                    throw new AuthenticationException($"The server was rejected: {e}");
                }
            }
        }
        """);

    [Fact]
    public Task Analyze_HelperCallingThrowingValidatorThenReturningTrue_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (m, c, ch, e) => Accept(e);

            static bool Accept(SslPolicyErrors e)
            {
                EnsureTrusted(e);
                return true;
            }

            static void EnsureTrusted(SslPolicyErrors e)
            {
                if (e != SslPolicyErrors.None)
                {
                    throw new AuthenticationException($"The server was rejected: {e}");
                }
            }
        }
        """);

    [Fact]
    public Task Analyze_CallbackLogsErrorsThenReturnsTrue_ReportsPca001() => Verify.AnalyzerAsync("""
        class C
        {
            // A library call is no rejection: the errors are logged and dropped.
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:(m, c, ch, e) =>
            {
                System.Console.WriteLine(e);
                return true;
            }|};
        }
        """);

    [Fact]
    public Task Analyze_VirtualHelperReturningTrue_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            // A derived class may override the helper with a real check: which body runs is not known here.
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (m, c, ch, e) => Accept(e);

            protected virtual bool Accept(SslPolicyErrors e) => true;
        }
        """);

    [Fact]
    public Task Analyze_ErrorsReassignedBeforeTheCheck_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) =>
            {
                if (chain is null || certificate is null || !chain.Build(certificate))
                {
                    errors = (SslPolicyErrors)8;
                }

                return errors < (SslPolicyErrors)8;
            };
        }
        """);

    [Fact]
    public Task Analyze_RecursiveHelper_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            // With errors the helper never returns: the evaluator's bounded depth must end without a verdict.
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (m, c, ch, e) => Accept(e);

            static bool Accept(SslPolicyErrors e) => e == SslPolicyErrors.None || Accept(e);
        }
        """);

    // ---- PCA002: custom roots without the server-authentication policy ----

    [Fact]
    public Task Analyze_CustomRootTrustWithoutServerAuthPolicy_ReportsPca002() => Verify.AnalyzerAsync("""
        class C
        {
            static readonly X509Certificate2 Root = null!;

            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) =>
            {
                if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None || certificate is null)
                {
                    return false;
                }

                using var custom = new X509Chain();
                {|PCA002:custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust|};
                custom.ChainPolicy.CustomTrustStore.Add(Root);
                return custom.Build(certificate);
            };
        }
        """);

    [Fact]
    public Task Analyze_CustomRootTrustWithServerAuthPolicy_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            const string ServerAuth = "1.3.6.1.5.5.7.3.1";
            static readonly X509Certificate2 Root = null!;

            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) =>
            {
                if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None || certificate is null)
                {
                    return false;
                }

                using var custom = new X509Chain();
                custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                custom.ChainPolicy.CustomTrustStore.Add(Root);
                custom.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuth));
                return custom.Build(certificate);
            };
        }
        """);

    [Fact]
    public Task Analyze_SystemTrustChainInCallback_ReportsNothing() => Verify.AnalyzerAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) =>
            {
                using var custom = new X509Chain();
                custom.ChainPolicy.TrustMode = X509ChainTrustMode.System;
                return errors == SslPolicyErrors.None && certificate is not null && custom.Build(certificate);
            };
        }
        """);
}
