using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.X509.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// The chain policy a PrivateCa handler hands the platform's own build inside SslStream, which runs before the validation
/// callback: never the default, which downloads a missing issuer from any URL a server's certificate names (AIA) and,
/// since .NET 10, checks revocation online. Either the cheap policy (no store, when the engine judges every host itself)
/// or system trust with downloads off and revocation as <see cref="PrivateCaTrustOptions.RevocationMode"/> says.
/// </summary>
internal static class PlatformPolicy
{
    public static X509ChainPolicy For(ClientTrust trust)
    {
        var policy = new X509ChainPolicy
        {
            DisableCertificateDownloads = true,
            RevocationFlag = X509RevocationFlag.ExcludeRoot,
        };
        if (trust.PlatformBuildsSystemChain)
        {
            // SslStream adds the serverAuth policy only to a chain policy it makes itself.
            policy.TrustMode = X509ChainTrustMode.System;
            policy.RevocationMode = trust.Engine.RevocationMode;
            policy.UrlRetrievalTimeout = ChainBuilder.RevocationFetchTimeout;
            policy.ApplicationPolicy.Add(new Oid(Oids.ServerAuth, "Server Authentication"));
        }
        else
        {
            // Every host is judged by the engine, so the platform's own build only needs to be cheap.
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.RevocationMode = X509RevocationMode.NoCheck;
        }

        return policy;
    }

    /// <summary>The TLS options of the SocketsHttpHandler inside an HttpClientHandler (on every platform but the browser and
    /// mobile ones, where there is none and PrivateCa refuses the handler rather than let it download).</summary>
    /// <exception cref="InvalidOperationException">This runtime's HttpClientHandler does not wrap a SocketsHttpHandler.</exception>
    public static SslClientAuthenticationOptions UnderlyingSslOptions(HttpClientHandler handler, string client) => Underlying(handler, client).SslOptions;

    /// <summary>The SocketsHttpHandler inside an HttpClientHandler (its pool: lifetime, stream filter, client-certificate option).</summary>
    /// <exception cref="InvalidOperationException">This runtime's HttpClientHandler does not wrap a SocketsHttpHandler.</exception>
    public static SocketsHttpHandler Underlying(HttpClientHandler handler, string client)
    {
        try
        {
            return UnderlyingHandler(handler) ?? throw new MissingFieldException();
        }
        catch (Exception ex) when (ex is MissingFieldException or NullReferenceException)
        {
            throw new InvalidOperationException(
                $"PrivateCa cannot apply trust to {client}: this runtime's HttpClientHandler does not expose its TLS chain policy, so its own chain build could download what a server names. Use a SocketsHttpHandler (TrustedHandlerFactory.CreateSocketsHttpHandler, or UseSocketsHttpHandler).", ex);
        }
    }

    /// <summary>Gives the SocketsHttpHandler inside an HttpClientHandler a client-certificate callback that it keeps: left as
    /// HttpClientHandler's "Manual" with an empty list, the pool drops every callback (to allow TLS resumption on Linux).</summary>
    /// <exception cref="InvalidOperationException">This runtime's handler cannot be given one.</exception>
    public static void UseSelectionCallback(HttpClientHandler handler, LocalCertificateSelectionCallback callback, string client)
    {
        var inner = Underlying(handler, client);
        try
        {
            SetClientCertificateOptions(inner, ClientCertificateOption.Automatic);
        }
        catch (Exception ex) when (ex is MissingMethodException or NullReferenceException)
        {
            throw new InvalidOperationException(
                $"PrivateCa cannot present a client certificate through {client}: this runtime's HttpClientHandler would offer it before the server is judged. Use a SocketsHttpHandler (TrustedHandlerFactory.CreateSocketsHttpHandler, or UseSocketsHttpHandler).", ex);
        }

        inner.SslOptions.LocalCertificateSelectionCallback = callback;
    }

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_ClientCertificateOptions")]
    private static extern void SetClientCertificateOptions(SocketsHttpHandler handler, ClientCertificateOption value);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_underlyingHandler")]
    private static extern ref SocketsHttpHandler UnderlyingHandler(HttpClientHandler handler);
}
