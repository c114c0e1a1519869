using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrivateCa;

// Exercises the loader, the handler factory and the configuration-bound DI registration, so the trim and AOT
// analyzers see every path a typical app uses.
var bundle = args.Length > 0 ? args[0] : "/etc/ssl/certs/ca-certificates.crt";
var loaded = CertificateBundleLoader.Load(bundle);
Console.WriteLine($"{loaded.Count} certificates from {string.Join(", ", loaded.Sources)}");

var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["PrivateCa:BundlePaths:0"] = bundle }).Build();
var services = new ServiceCollection();
services.AddHttpClient("model").AddPrivateCaTrust(configuration.GetSection("PrivateCa"));
using var provider = services.BuildServiceProvider();
using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");

var options = new PrivateCaTrustOptions();
options.BundlePaths.Add(bundle);
using var handler = new TrustedHandlerFactory(options).CreateSocketsHttpHandler();
Console.WriteLine("handlers ready");
