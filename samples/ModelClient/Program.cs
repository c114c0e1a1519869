using ModelClient;

// dotnet run --project samples/ModelClient
//   no arguments: a local HTTPS model endpoint with its own private CA, called through PrivateCa.
// dotnet run --project samples/ModelClient -- --endpoint https://vllm.corp.example/v1 --model NAME [--bundle ca.pem] [--api-key-env OPENAI_API_KEY]
//   a real OpenAI-compatible endpoint; without --bundle, SSL_CERT_FILE / REQUESTS_CA_BUNDLE / … name the CA bundle.
string? endpoint = null, model = null, bundle = null, keyVariable = "OPENAI_API_KEY";
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--endpoint": endpoint = value; i++; break;
        case "--model": model = value; i++; break;
        case "--bundle": bundle = value; i++; break;
        case "--api-key-env": keyVariable = value ?? keyVariable; i++; break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Use --endpoint URL --model NAME [--bundle PATH] [--api-key-env NAME], or no arguments for the local demo.");
            return 64;
    }
}

try
{
    if (endpoint is null)
    {
        return await Demo.RunLocalAsync(Console.Out);
    }

    if (model is null || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
    {
        Console.Error.WriteLine("--endpoint needs an https:// URL and --model a model name.");
        return 64;
    }

    var apiKey = Environment.GetEnvironmentVariable(keyVariable) ?? string.Empty;
    return await Demo.RunRemoteAsync(uri, model, bundle, apiKey, Console.Out);
}
catch (PrivateCa.CertificateBundleException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 3;
}
catch (Microsoft.Extensions.Options.OptionsValidationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 3;
}
