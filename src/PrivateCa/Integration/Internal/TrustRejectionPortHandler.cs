namespace PrivateCa.Integration.Internal;

/// <summary>
/// The outermost handler of a client with PrivateCa trust: SslStream knows only the host name, so a rejection is
/// rethrown here with the port of the request added to the explanation ("model.internal:8443"). Nothing else changes.
/// </summary>
internal sealed class TrustRejectionPortHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.InnerException is CertificateTrustException { Port: null } rejection && request.RequestUri is { } uri)
        {
            throw new HttpRequestException(ex.HttpRequestError, ex.Message, rejection.WithPort(uri.Port), ex.StatusCode);
        }
    }
}
