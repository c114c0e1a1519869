using Microsoft.Extensions.Logging;
using PrivateCa.Trust.Internal;
using PrivateCa.X509.Internal;

namespace PrivateCa.Integration.Internal;

/// <summary>
/// The mTLS client certificate and key of one client, watched like a bundle (cert-manager and service meshes rotate them
/// often): a new pair is presented on new connections; a pair that cannot be used (a key that does not match, a file
/// still being written) is rejected, logged, and the last good pair stays. A first load that fails leaves no certificate
/// and is tried again at every change and poll.
/// </summary>
internal sealed class ReloadingClientCertificate : IClientIdentitySource, IDisposable
{
    private readonly string _certificatePath;
    private readonly string? _keyPath;
    private readonly string _certificatePathText;
    private readonly ILogger _logger;
    private readonly FileWatch? _watch;
    private readonly Lock _gate = new();
    private ClientIdentity? _current;
    private string? _lastError;
    private bool _warnedReadable;

    public ReloadingClientCertificate(string certificatePath, string? keyPath, bool watched, TimeProvider time, ILogger logger)
    {
        _certificatePath = Path.GetFullPath(certificatePath);
        _keyPath = keyPath is null ? null : Path.GetFullPath(keyPath);
        _certificatePathText = NameText.Escape(_certificatePath); // a path from configuration goes into log lines escaped
        _logger = logger;
        TryReload();
        if (watched)
        {
            _watch = new FileWatch(time, () => TryReload());
            _watch.WatchFolders(new[] { _certificatePath, _keyPath }.OfType<string>().Select(p => (Path.GetDirectoryName(p) ?? p, false)));
        }
    }

    /// <summary>The pair in force, or null when none has loaded yet; read without locks at each handshake that asks for one.</summary>
    public ClientIdentity? Current => Volatile.Read(ref _current);

    /// <summary>The last failure, cleared by the next success.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>The exception of the last failure, cleared by the next success.</summary>
    public CertificateBundleException? LastException { get; private set; }

    /// <summary>Loads the pair again and swaps it in when it differs. Returns the outcome: applied, unchanged or rejected.</summary>
    public string TryReload()
    {
        lock (_gate)
        {
            var previous = Current;
            try
            {
                var next = ClientCertificate.Load(_certificatePath, _keyPath);
                Volatile.Write(ref _lastError, null);
                LastException = null;
                WarnIfReadable();
                if (previous is not null && previous.SameAs(next))
                {
                    next.Certificate.Dispose();
                    return "unchanged";
                }

                // The previous pair is not disposed: a handshake may be presenting it right now.
                Volatile.Write(ref _current, next);
                var subject = NameText.Escape(next.Certificate.Subject);
                var notAfter = next.Certificate.NotAfter.ToUniversalTime();
                PrivateCaLog.ClientCertificateApplied(_logger, subject, notAfter, _certificatePathText);
                return "applied";
            }
            catch (CertificateBundleException ex)
            {
                Volatile.Write(ref _lastError, ex.Message);
                LastException = ex;
                PrivateCaLog.ClientCertificateRejected(_logger, _certificatePathText,
                    previous is null ? string.Empty : $" and keeps presenting '{NameText.Escape(previous.Certificate.Subject)}'", ex.Message);
                return "rejected";
            }
        }
    }

    public void Dispose() => _watch?.Dispose();

    private void WarnIfReadable()
    {
        var keyPath = _keyPath ?? _certificatePath;
        if (!_warnedReadable && ClientCertificate.ReadableByOthers(keyPath, out var mode))
        {
            _warnedReadable = true;
            PrivateCaLog.ClientKeyReadableByOthers(_logger, NameText.Escape(keyPath), Convert.ToString((int)mode, 8));
        }
    }
}
