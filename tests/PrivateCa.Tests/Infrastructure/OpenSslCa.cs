namespace PrivateCa.Tests.Infrastructure;

/// <summary>A CA run by the openssl command line ('openssl ca'), so dates and extensions are exactly what openssl writes.</summary>
internal sealed class OpenSslCa
{
    private readonly TempDirectory _dir;
    private readonly string _config;
    private readonly string _serial;
    private static int _issued;

    private OpenSslCa(TempDirectory dir, string name, string certificate, string key)
    {
        _dir = dir;
        Name = name;
        Certificate = certificate;
        Key = key;
        var home = Directory.CreateDirectory(dir.File($"ca-{name.Replace(' ', '_')}")).FullName;
        File.WriteAllText(Path.Combine(home, "index.txt"), string.Empty);
        File.WriteAllText(Path.Combine(home, "serial"), $"{Random.Shared.NextInt64(0x1000_0000_0000, 0x7FFF_FFFF_FFFF):X}\n");
        _serial = Path.Combine(home, "serial");
        _config = Path.Combine(home, "ca.cnf");
        File.WriteAllText(_config, $"""
            [ca]
            default_ca = d
            [d]
            database = {home}/index.txt
            new_certs_dir = {home}
            serial = {home}/serial
            default_md = sha256
            policy = p
            unique_subject = no
            email_in_dn = no
            [p]
            commonName = supplied
            """);
    }

    public string Name { get; }

    public string Certificate { get; }

    public string Key { get; }

    public static OpenSslCa Root(TempDirectory dir, string name, string extensions = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash", string key = "ec")
    {
        var (certificate, keyPath) = key == "ec"
            ? OpenSsl.CreateRoot(dir, name.Replace(' ', '_'), ExtensionArguments(extensions))
            : OpenSsl.CreateRootWithKey(dir, name.Replace(' ', '_'), key, ExtensionArguments(extensions));
        return new OpenSslCa(dir, name, certificate, keyPath) { _keyType = key };
    }

    /// <summary>The CA's key type: Ed25519 signs with no separate digest.</summary>
    private string _keyType = "ec";

    /// <summary>Issues a certificate for <paramref name="name"/> with the given extension lines, valid from/to the given instants.</summary>
    /// <param name="name">The common name.</param>
    /// <param name="extensions">openssl extension lines, one per line.</param>
    /// <param name="notBefore">Start of validity; default an hour ago.</param>
    /// <param name="notAfter">End of validity; default in 30 days.</param>
    /// <param name="digest">The signature digest, for example sha1.</param>
    /// <param name="key">The key to make: "ec" (P-256) or an openssl -newkey value such as "rsa:1024".</param>
    /// <param name="keyIdentifiers">False writes neither subjectKeyIdentifier nor authorityKeyIdentifier.</param>
    /// <param name="serialHex">The serial number to use, in hex.</param>
    public string Issue(string name, string extensions, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string digest = "sha256",
        string key = "ec", bool keyIdentifiers = true, string? serialHex = null)
    {
        var file = $"{name.Replace(' ', '_').Replace('*', 'w')}-{Interlocked.Increment(ref _issued)}";
        var keyPath = _dir.File($"{file}.key");
        var csr = _dir.File($"{file}.csr");
        var certificate = _dir.File($"{file}.pem");
        var identifiers = keyIdentifiers ? "authorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n" : "authorityKeyIdentifier=none\nsubjectKeyIdentifier=none\n";
        var extfile = _dir.Write($"{file}.ext", extensions + "\n" + identifiers);
        string[] newKey = key == "ec" ? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"] : ["-newkey", key];
        OpenSsl.Run(_dir.Path, ["req", "-new", .. newKey, "-nodes", "-keyout", keyPath, "-out", csr, "-subj", $"/CN={name}"]);
        if (serialHex is not null)
        {
            File.WriteAllText(_serial, serialHex + "\n");
        }

        OpenSsl.Run(_dir.Path, "ca", "-batch", "-notext", "-md", _keyType == "ed25519" ? "default" : digest, "-config", _config, "-cert", Certificate, "-keyfile", Key, "-in", csr, "-out", certificate, "-extfile", extfile,
            "-startdate", Stamp(notBefore ?? DateTimeOffset.UtcNow.AddHours(-1)), "-enddate", Stamp(notAfter ?? DateTimeOffset.UtcNow.AddDays(30)));
        LastKey = keyPath;
        return certificate;
    }

    /// <summary>The private key of the certificate issued last.</summary>
    public string LastKey { get; private set; } = string.Empty;

    /// <summary>Issues a certificate with no extensions at all: 'openssl ca' then writes X.509 version 1.</summary>
    public string IssueWithoutExtensions(string name)
    {
        var file = "v1-" + name.Replace(' ', '_');
        var key = _dir.File($"{file}.key");
        var csr = _dir.File($"{file}.csr");
        var certificate = _dir.File($"{file}.pem");
        OpenSsl.Run(_dir.Path, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr, "-subj", $"/CN={name}");
        OpenSsl.Run(_dir.Path, "ca", "-batch", "-notext", "-config", _config, "-cert", Certificate, "-keyfile", Key, "-in", csr, "-out", certificate, "-days", "30");
        return certificate;
    }

    public OpenSslCa Intermediate(string name, string extensions = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign", bool keyIdentifiers = true)
    {
        var certificate = Issue(name, extensions, keyIdentifiers: keyIdentifiers);
        return new OpenSslCa(_dir, name, certificate, LastKey);
    }

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMddHHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string[] ExtensionArguments(string extensions) =>
        [.. extensions.Split('\n', StringSplitOptions.RemoveEmptyEntries).SelectMany(e => new[] { "-addext", e })];
}
