using System.ClientModel.Primitives;
using Microsoft.Extensions.Options;
using PrivateCa;

namespace ModelClient;

/// <summary>The sample's command line: parsing, usage, and the mapping of outcomes to <see cref="ExitCode"/>.</summary>
public static class ModelClientCommand
{
    public const string Usage = """
        Usage: ModelClient [--endpoint URL --model NAME [--bundle PATH] [--api-key-env NAME]]

          (no arguments)       Local demo: makes a private CA, starts an OpenAI-compatible HTTPS endpoint on 127.0.0.1
                               behind it, calls it through PrivateCa, then shows the rejection of another CA's endpoint.
          --endpoint URL       An OpenAI-compatible endpoint, e.g. https://vllm.corp.example/v1
          --model NAME         The model to ask.
          --bundle PATH        The CA bundle (PEM file or directory). Default: SSL_CERT_FILE, REQUESTS_CA_BUNDLE,
                               CURL_CA_BUNDLE, SSL_CERT_DIR, as Python and curl read them.
          --api-key-env NAME   The variable holding the API key (default OPENAI_API_KEY). When it is not set, no
                               Authorization header is sent: vLLM without --api-key and Ollama need none.
          -h, --help           This text.

        Exit codes: 0 trusted answer, 1 usage, 2 bad bundle or options, 3 endpoint not trusted, 4 endpoint unreachable
        or answered with an HTTP error.
        """;

    /// <summary>Runs the sample as its command line asks; returns an <see cref="ExitCode"/>.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">Where answers and usage go.</param>
    /// <param name="error">Where errors and rejections go.</param>
    /// <param name="retryPolicy">The SDK's retry policy; tests pass one with no retries to keep network failures fast.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, ClientRetryPolicy? retryPolicy = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? endpoint = null, model = null, bundle = null, keyVariable = "OPENAI_API_KEY";
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "-h" or "--help" or "-?")
            {
                output.WriteLine(Usage);
                return ExitCode.Ok;
            }

            if (args[i] is not ("--endpoint" or "--model" or "--bundle" or "--api-key-env"))
            {
                return Fail(error, $"Unknown argument '{args[i]}'.");
            }

            if (i + 1 >= args.Length || string.IsNullOrWhiteSpace(args[i + 1]))
            {
                return Fail(error, $"{args[i]} needs a value.");
            }

            var value = args[++i];
            switch (args[i - 1])
            {
                case "--endpoint": endpoint = value; break;
                case "--model": model = value; break;
                case "--bundle": bundle = value; break;
                default: keyVariable = value; break;
            }
        }

        try
        {
            if (endpoint is null && model is null && bundle is null)
            {
                return await Demo.RunLocalAsync(output);
            }

            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                return Fail(error, $"--endpoint needs an https:// URL (got '{endpoint}').");
            }

            if (model is null)
            {
                return Fail(error, "--model needs a model name.");
            }

            var apiKey = Environment.GetEnvironmentVariable(keyVariable);
            return await Demo.RunRemoteAsync(uri, model, bundle, string.IsNullOrEmpty(apiKey) ? null : apiKey, output, error, retryPolicy);
        }
        catch (Exception ex) when (ex is CertificateBundleException or OptionsValidationException)
        {
            error.WriteLine(ex.Message);
            return ExitCode.BadInput;
        }
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine(message);
        error.WriteLine(Usage);
        return ExitCode.Usage;
    }
}
