using System.ClientModel.Primitives;

namespace PrivateCa.ClientModel;

/// <summary>
/// System.ClientModel's <see cref="ClientRetryPolicy"/> (the OpenAI .NET SDK's and Azure.AI.OpenAI's retry policy) with one
/// change: a request that failed because PrivateCa rejected the server's certificate is not retried. No retry cures a
/// rejected certificate; retrying it costs three more handshakes and buries PrivateCa's explanation under
/// "Retry failed after 4 tries". With this policy the caller sees the SDK's usual exception at once, whose inner
/// exceptions hold the <see cref="CertificateTrustException"/> (find it with <see cref="CertificateTrustException.IsTrustRejection"/>).
/// Everything else (timeouts, 429, 5xx) is retried exactly as by <see cref="ClientRetryPolicy"/>.
/// </summary>
/// <example>
/// <code>
/// new OpenAIClientOptions { Transport = new HttpClientPipelineTransport(http), RetryPolicy = TrustAwareRetryPolicy.Default }
/// </code>
/// </example>
public sealed class TrustAwareRetryPolicy : ClientRetryPolicy
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="maxRetries">How many times a transient failure is retried; the SDK's default is 3.</param>
    public TrustAwareRetryPolicy(int maxRetries = 3)
        : base(maxRetries)
    {
    }

    /// <summary>Gets a shared instance with the SDK's default of 3 retries.</summary>
    /// <value>A policy that retries up to 3 times, never after a trust rejection.</value>
    public static new TrustAwareRetryPolicy Default { get; } = new();

    /// <inheritdoc/>
    protected override bool ShouldRetry(PipelineMessage message, Exception? exception)
        => !CertificateTrustException.IsTrustRejection(exception) && base.ShouldRetry(message, exception);

    /// <inheritdoc/>
    protected override ValueTask<bool> ShouldRetryAsync(PipelineMessage message, Exception? exception)
        => CertificateTrustException.IsTrustRejection(exception) ? ValueTask.FromResult(false) : base.ShouldRetryAsync(message, exception);
}
