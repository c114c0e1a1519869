using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace PrivateCa.Integration.Internal;

/// <summary>
/// Applies trust to the primary handler after every other configuration of the client has run, whatever the order of the
/// calls: a proxy or ConnectCallback configured before AddPrivateCaTrust is kept, and a primary handler set after it is
/// configured too (or, when PrivateCa cannot configure its kind, creating the client fails). Trust is never silently dropped.
/// </summary>
internal sealed class PrivateCaHandlerFilter(IOptionsMonitor<PrivateCaClientSelection> selection, PrivateCaTrustRegistry registry) : IHttpMessageHandlerBuilderFilter
{
    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        var name = builder.Name ?? Options.DefaultName;
        if (!selection.Get(name).Enabled)
        {
            return;
        }

        registry.Apply(name, builder.PrimaryHandler);
        builder.AdditionalHandlers.Insert(0, new TrustRejectionPortHandler());
    };
}
