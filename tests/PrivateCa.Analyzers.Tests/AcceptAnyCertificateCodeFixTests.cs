namespace PrivateCa.Analyzers.Tests;

public sealed class AcceptAnyCertificateCodeFixTests
{
    [Fact]
    public Task Fix_ConfigurePrimaryHttpMessageHandlerWithAcceptAny_BecomesAddPrivateCaTrust() => Verify.CodeFixAsync("""
        class C
        {
            void Register(IServiceCollection services) =>
                services.AddHttpClient("model")
                    .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { ServerCertificateCustomValidationCallback = {|PCA001:HttpClientHandler.DangerousAcceptAnyServerCertificateValidator|} });
        }
        """, Verify.Usings + """
        class C
        {
            void Register(IServiceCollection services) =>
                services.AddHttpClient("model")
                    .AddPrivateCaTrust();
        }
        """);

    [Fact]
    public Task Fix_ConfigurePrimaryHttpMessageHandlerWithSslOptionsCallback_BecomesAddPrivateCaTrust() => Verify.CodeFixAsync("""
        class C
        {
            void Register(IServiceCollection services) =>
                services.AddHttpClient<C>().ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
                {
                    SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = {|PCA001:(sender, certificate, chain, errors) => true|} },
                });
        }
        """, Verify.Usings + """
        class C
        {
            void Register(IServiceCollection services) =>
                services.AddHttpClient<C>().AddPrivateCaTrust();
        }
        """);

    [Fact]
    public Task Fix_NewHttpClientWithAcceptAnyHandler_UsesTrustedHandlerFactory() => Verify.CodeFixAsync("""
        class C
        {
            HttpClient Create() => new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = {|PCA001:(message, certificate, chain, errors) => true|} });
        }
        """, Verify.Usings.Replace("using Microsoft.Extensions.DependencyInjection;\n", "using Microsoft.Extensions.DependencyInjection;\nusing PrivateCa;\n\n", StringComparison.Ordinal) + """
        class C
        {
            HttpClient Create() => new HttpClient(new TrustedHandlerFactory(new PrivateCaTrustOptions()).CreateHttpClientHandler());
        }
        """);

    [Fact]
    public Task Fix_NewHttpClientWithCallbackTrueForEveryErrors_UsesTrustedHandlerFactory() => Verify.CodeFixAsync("""
        class C
        {
            HttpClient Create() => new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = {|PCA001:(m, c, ch, e) => e >= SslPolicyErrors.None|} });
        }
        """, Verify.Usings.Replace("using Microsoft.Extensions.DependencyInjection;\n", "using Microsoft.Extensions.DependencyInjection;\nusing PrivateCa;\n\n", StringComparison.Ordinal) + """
        class C
        {
            HttpClient Create() => new HttpClient(new TrustedHandlerFactory(new PrivateCaTrustOptions()).CreateHttpClientHandler());
        }
        """);

    [Fact]
    public Task Fix_HandlerWithOtherSettings_OffersNoFixThatWouldDropThem() => Verify.CodeFixAsync("""
        class C
        {
            HttpClient Create() => new HttpClient(new HttpClientHandler
            {
                UseProxy = false,
                ServerCertificateCustomValidationCallback = {|PCA001:(message, certificate, chain, errors) => true|},
            });
        }
        """, fixedSource: null);

    [Fact]
    public Task Fix_CallbackOutsideTheCommonShapes_OffersNoFix() => Verify.CodeFixAsync("""
        class C
        {
            void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = {|PCA001:(message, certificate, chain, errors) => true|};
        }
        """, fixedSource: null);
}
