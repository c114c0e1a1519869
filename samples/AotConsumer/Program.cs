using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrivateCa;

// AotConsumer URL — one trusted GET through AddPrivateCaTrust(), the CA bundle named by SSL_CERT_FILE (as httpx reads it).
// Published natively by the tests (AotConsumerTests), so a trim or AOT problem on this path is a failing test.
// Exit codes as the privateca tool's: 0 answered, 1 usage, 2 bad bundle or options, 3 not trusted, 4 no answer.
if (args.Length != 1 || !Uri.TryCreate(args[0], UriKind.Absolute, out var url))
{
    Console.Error.WriteLine("Usage: AotConsumer https://host:port/path   (SSL_CERT_FILE names the CA bundle)");
    return 1;
}

var services = new ServiceCollection();
services.AddHttpClient("model").AddPrivateCaTrust();

// The configuration-bound overload too, so the analyzers see the binder's source-generated path.
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["PrivateCa:Hosts:0"] = url.Host }).Build();
services.AddHttpClient("configured").AddPrivateCaTrust(configuration.GetSection("PrivateCa"));

try
{
    await using var provider = services.BuildServiceProvider();
    var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");
    Console.WriteLine(await http.GetStringAsync(url));
    return 0;
}
catch (HttpRequestException ex) when (CertificateTrustException.IsTrustRejection(ex))
{
    for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
    {
        if (inner is CertificateTrustException rejection)
        {
            Console.Error.WriteLine(rejection.Message);
        }
    }

    return 3;
}
catch (HttpRequestException ex)
{
    Console.Error.WriteLine($"No answer from {url}: {ex.Message}");
    return 4;
}
catch (Exception ex) when (ex is CertificateBundleException or Microsoft.Extensions.Options.OptionsValidationException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
