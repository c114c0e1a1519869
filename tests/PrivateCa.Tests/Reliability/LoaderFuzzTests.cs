using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PrivateCa.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PrivateCa.Tests.Reliability;

/// <summary>
/// Mutated bundles (bytes flipped, cut, duplicated, base64 damaged, lines dropped) give either a bundle or a
/// <see cref="CertificateBundleException"/>: never another exception, never a hang. What loads is judged by decoders the
/// loader's own DER walk does not use: every certificate it returns decodes with <see cref="X509CertificateLoader"/> to the
/// fingerprint the loader reports and is handed out as those bytes (a sample also decodes with 'openssl x509 -inform DER');
/// one the platform refuses is allowed only rarely, and only when the loader refuses to hand it out. The unmutated seeds
/// load to exactly their certificates, and enough mutants still load that a loader refusing everything fails here.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class LoaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>PEM with a comment, the same with CRLF, bare DER, a PKCS#7 bag and OpenSSL's TRUSTED CERTIFICATE, each with the
    /// SHA-256 of the certificates it holds, computed from openssl's DER output and .NET's own, not from the loader.</summary>
    private List<(string Name, byte[] Input, string[] Sha256)> Seeds()
    {
        var a = OpenSsl.CreateRoot(_dir, "Fuzz A").Certificate;
        var aDer = _dir.File("a.der");
        OpenSsl.Run(_dir.Path, "x509", "-in", a, "-outform", "DER", "-out", aDer);
        var aSha256 = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(aDer)));
        var b = TestPki.CreateRoot("Fuzz B");
        var bSha256 = Convert.ToHexString(SHA256.HashData(b.RawData));
        var pem = "# Issuer: CN=Fuzz A\n" + File.ReadAllText(a) + b.Pem();
        var bag = _dir.File("bag.p7b");
        OpenSsl.Run(_dir.Path, "crl2pkcs7", "-nocrl", "-certfile", a, "-outform", "DER", "-out", bag);
        var trusted = _dir.File("trusted.pem");
        OpenSsl.Run(_dir.Path, "x509", "-in", a, "-trustout", "-addtrust", "serverAuth", "-out", trusted);
        return
        [
            ("PEM", Encoding.UTF8.GetBytes(pem), [aSha256, bSha256]),
            ("PEM with CRLF", Encoding.UTF8.GetBytes(pem.Replace("\n", "\r\n", StringComparison.Ordinal)), [aSha256, bSha256]),
            ("DER", b.RawData, [bSha256]),
            ("PKCS#7", File.ReadAllBytes(bag), [aSha256]),
            ("TRUSTED CERTIFICATE", File.ReadAllBytes(trusted), [aSha256]),
        ];
    }

    [Fact]
    public void Load_UnmutatedSeeds_GiveExactlyTheirCertificatesAndPassTheJudge()
    {
        foreach (var (name, input, expected) in Seeds())
        {
            var bundle = CertificateBundleLoader.LoadBytes(input, "seed", new BundleLoadOptions());

            bundle.Origins.Select(o => o.Sha256).Should().Equal(expected, $"the {name} seed holds exactly these");
            Judge(bundle).Should().Be(Verdict.Decoded, $"every certificate of the {name} seed decodes");
        }
    }

    [Fact]
    public void Load_MutatedInputs_OnlySuccessOrBundleExceptionAndWhatLoadsDecodes()
    {
        var seeds = Seeds();
        var seedCertificates = seeds.SelectMany(s => s.Sha256).ToHashSet(StringComparer.Ordinal);
        var random = new Random(20261128);
        var outcomes = new Dictionary<string, int>();
        var loadedBySeed = new int[seeds.Count];
        var sample = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var slowest = TimeSpan.Zero;
        var failures = new List<string>();
        var options = new BundleLoadOptions();
        for (var i = 0; i < ReliabilityScale.FuzzInputs; i++)
        {
            var input = Mutate(seeds[i % seeds.Count].Input, random);
            var clock = Stopwatch.StartNew();
            string outcome;
            try
            {
                var bundle = CertificateBundleLoader.LoadBytes(input, "fuzz", options);
                _ = bundle.Diagnostics.Count;
                clock.Stop();
                var verdict = Judge(bundle);
                outcome = verdict switch
                {
                    Verdict.Decoded => "loaded",

                    // The loader's DER walk reads the header, not every field (a name's string types, for one): the platform
                    // may still refuse a damaged certificate, and the loader then says so itself, naming the source and line.
                    Verdict.RefusedByThePlatformAndTheLoaderSaysSo => "loaded, refused by the platform decoder",
                    _ => $"judged wrong: {verdict}",
                };
                if (verdict == Verdict.Decoded)
                {
                    loadedBySeed[i % seeds.Count]++;
                    foreach (var entry in bundle.Entries.Where(e => !seedCertificates.Contains(e.Sha256Hex)))
                    {
                        if (sample.Count < ReliabilityScale.FuzzOpenSslSample)
                        {
                            sample.TryAdd(entry.Sha256Hex, entry.Der);
                        }
                    }
                }
                else if (verdict != Verdict.RefusedByThePlatformAndTheLoaderSaysSo && failures.Count < 12)
                {
                    failures.Add($"input {i} ({Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 200)))}): {verdict}");
                }
            }
            catch (CertificateBundleException)
            {
                outcome = "rejected";
            }
            catch (Exception ex)
            {
                outcome = ex.GetType().Name;
                if (failures.Count < 12)
                {
                    failures.Add($"input {i} ({Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 200)))}): {ex.Message}");
                }
            }

            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        var openSslRefused = OpenSslRefuses(sample.Values);
        output.WriteLine($"{ReliabilityScale.FuzzInputs} inputs: {string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}"))}; " +
            $"loaded by seed {string.Join(", ", seeds.Select((s, n) => $"{s.Name} {loadedBySeed[n]}"))}; " +
            $"{sample.Count} mutated certificates checked with openssl; slowest {slowest.TotalMilliseconds:0.0} ms");
        failures.Should().BeEmpty();
        outcomes.Keys.Should().BeSubsetOf(["loaded", "rejected", "loaded, refused by the platform decoder"]);
        outcomes.GetValueOrDefault("loaded, refused by the platform decoder").Should().BeLessThan(ReliabilityScale.FuzzInputs / 500);

        // About 7% of mutants load (a flipped bit in a signature or key, a duplicated comment); a loader that refuses
        // everything, or every mutant of one kind of input, fails here.
        outcomes.GetValueOrDefault("loaded").Should().BeGreaterThanOrEqualTo(ReliabilityScale.FuzzInputs / 25);
        loadedBySeed.Should().OnlyContain(n => n >= ReliabilityScale.FuzzInputs / seeds.Count / 100);
        sample.Should().HaveCount(ReliabilityScale.FuzzOpenSslSample, "mutated certificates that still load are what the openssl judge is for");
        openSslRefused.Should().BeEmpty();
        slowest.Should().BeLessThan(TimeSpan.FromSeconds(1));
    }

    private enum Verdict
    {
        Decoded,
        RefusedByThePlatformAndTheLoaderSaysSo,
        RefusedByThePlatformButHandedOut,
        DecodedToAnotherFingerprint,
        CountsDisagree,
        HandedOutOtherBytes,
    }

    /// <summary>Judges a loaded bundle by .NET's X.509 decoder, which the loader's own DER walk does not use.</summary>
    private static Verdict Judge(CertificateBundle bundle)
    {
        var entries = bundle.Entries;
        if (bundle.Count != entries.Length || bundle.Origins.Count != entries.Length
            || entries.Select(e => e.Sha256Hex).Distinct(StringComparer.Ordinal).Count() != entries.Length)
        {
            return Verdict.CountsDisagree;
        }

        foreach (var entry in entries)
        {
            X509Certificate2 decoded;
            try
            {
                decoded = X509CertificateLoader.LoadCertificate(entry.Der);
            }
            catch (CryptographicException)
            {
                // The certificate must not reach a caller: the loader's own collection refuses it.
                try
                {
                    foreach (var certificate in bundle.Certificates)
                    {
                        certificate.Dispose();
                    }

                    return Verdict.RefusedByThePlatformButHandedOut;
                }
                catch (CertificateBundleException)
                {
                    return Verdict.RefusedByThePlatformAndTheLoaderSaysSo;
                }
            }

            using (decoded)
            {
                if (decoded.GetCertHashString(HashAlgorithmName.SHA256) != entry.Sha256Hex)
                {
                    return Verdict.DecodedToAnotherFingerprint;
                }
            }
        }

        var handedOut = bundle.Certificates;
        try
        {
            return handedOut.Select(c => c.RawData).SequenceEqual(entries.Select(e => e.Der), ByteArrayEquality.Instance)
                ? Verdict.Decoded
                : Verdict.HandedOutOtherBytes;
        }
        finally
        {
            foreach (var certificate in handedOut)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>The certificates 'openssl x509 -inform DER -noout' does not decode, with its error.</summary>
    private List<string> OpenSslRefuses(IEnumerable<byte[]> certificates)
    {
        var refused = new List<string>();
        var file = _dir.File("judged.der");
        foreach (var der in certificates)
        {
            File.WriteAllBytes(file, der);
            try
            {
                OpenSsl.Run(_dir.Path, "x509", "-inform", "DER", "-noout", "-in", file);
            }
            catch (InvalidOperationException ex)
            {
                refused.Add($"{Convert.ToHexString(SHA256.HashData(der))}: {ex.Message}");
            }
        }

        return refused;
    }

    private sealed class ByteArrayEquality : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayEquality Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length;
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var data = seed.ToList();
        var rounds = random.Next(1, 4);
        for (var r = 0; r < rounds && data.Count > 0; r++)
        {
            var at = random.Next(data.Count);
            switch (random.Next(6))
            {
                case 0: // flip a bit
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1: // cut the tail
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 2: // duplicate a range
                    var length = Math.Min(random.Next(1, 200), data.Count - at);
                    data.InsertRange(random.Next(data.Count), data.GetRange(at, length));
                    break;
                case 3: // damage base64: a character outside the alphabet, or a stray '='
                    data[at] = (byte)"!=@*-\0 ~"[random.Next(8)];
                    break;
                case 4: // drop a line
                    var end = data.IndexOf((byte)'\n', at);
                    data.RemoveRange(at, (end < 0 ? data.Count : end + 1) - at);
                    break;
                default: // overwrite a byte with anything
                    data[at] = (byte)random.Next(256);
                    break;
            }
        }

        return [.. data];
    }
}
