using System.Security.Authentication;
using PrivateCa.Trust.Internal;

namespace PrivateCa;

/// <summary>
/// A server's certificate was rejected. The message gives the host, the chain the server presented
/// (subject, issuer, SHA-256, validity), the anchors tried and their sources, the exact reason and what to do.
/// Thrown from the TLS validation callback, it is the <see cref="Exception.InnerException"/> of the <see cref="System.Net.Http.HttpRequestException"/>.
/// </summary>
public sealed class CertificateTrustException : AuthenticationException
{
    /// <summary>Initializes a new instance with a generic message.</summary>
    public CertificateTrustException()
        : this("The server's certificate was not trusted.")
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The explanation.</param>
    public CertificateTrustException(string message)
        : base(message)
    {
        Reason = message;
    }

    /// <summary>Initializes a new instance with a message and a cause.</summary>
    /// <param name="message">The explanation.</param>
    /// <param name="innerException">The cause.</param>
    public CertificateTrustException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    internal CertificateTrustException(string host, int? port, TrustVerdict verdict)
        : base(VerdictRenderer.Explain(verdict.Facts, port))
    {
        Host = host;
        Port = port;
        Failure = verdict.Failure;
        Reason = verdict.Summary;
        Verdict = verdict;
    }

    /// <summary>
    /// Tells whether an exception is, or was caused by, a PrivateCa trust rejection — which no retry will cure. Use it
    /// to keep resilience pipelines from retrying a rejected server as if it were a transient fault.
    /// </summary>
    /// <param name="exception">An exception from an HTTP call, or null.</param>
    /// <returns><see langword="true"/> when a <see cref="CertificateTrustException"/> is the exception or among its inner exceptions.</returns>
    public static bool IsTrustRejection(Exception? exception) => exception is not null && Find(exception) is not null;

    /// <summary>
    /// Finds the PrivateCa rejection behind an exception from an HTTP call or an SDK — "The SSL connection could not be
    /// established" usually holds it a few inner exceptions down — walking inner exceptions and every exception of an
    /// <see cref="AggregateException"/>, depth first.
    /// </summary>
    /// <param name="exception">The exception caught.</param>
    /// <returns>The first <see cref="CertificateTrustException"/> found, or <see langword="null"/> when the failure was not a trust rejection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public static CertificateTrustException? Find(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Find(exception, depth: 0);
    }

    private static CertificateTrustException? Find(Exception? exception, int depth)
    {
        // Bounded: a wrapper chain deeper than this is not an HTTP stack's, and a hand-made cycle must not hang the caller.
        for (; exception is not null && depth < 64; exception = exception.InnerException, depth++)
        {
            switch (exception)
            {
                case CertificateTrustException found:
                    return found;
                case AggregateException aggregate:
                    foreach (var inner in aggregate.InnerExceptions)
                    {
                        if (Find(inner, depth + 1) is { } nested)
                        {
                            return nested;
                        }
                    }

                    return null;
                default:
                    break;
            }
        }

        return null;
    }

    /// <summary>Gets the host whose certificate was rejected.</summary>
    /// <value>A DNS name or IP address, or <see langword="null"/> when not known.</value>
    public string? Host { get; }

    /// <summary>Gets the port of the rejected server.</summary>
    /// <value>The port when the layer that saw the rejection knew it (an <see cref="HttpClientHandler"/> from
    /// <see cref="TrustedHandlerFactory"/>, or any client from <c>AddPrivateCaTrust</c>); <see langword="null"/> otherwise,
    /// for a bare <see cref="SocketsHttpHandler"/>'s TLS layer knows only the host name.</value>
    public int? Port { get; }

    /// <summary>Gets the kind of failure.</summary>
    /// <value>A stable value, for logs and metrics.</value>
    public TrustFailure Failure { get; } = TrustFailure.Other;

    internal TrustVerdict? Verdict { get; }

    /// <summary>The same rejection, with the port a higher layer knows.</summary>
    internal CertificateTrustException WithPort(int port) =>
        Verdict is not null && Host is not null && Port is null ? new CertificateTrustException(Host, port, Verdict) : this;

    /// <summary>Gets the reason in one sentence, without the chain and the fix.</summary>
    /// <value>For example "expired at 2026-01-01 00:00:00Z".</value>
    public string Reason { get; }

    /// <summary>Gets the reason in one sentence, as <see cref="TrustVerdict.Summary"/> words it for the same chain.</summary>
    /// <value>The same text as <see cref="Reason"/>.</value>
    public string Summary => Reason;
}
