using System.Diagnostics;
using System.Text;
using PrivateCa.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PrivateCa.Tests.Reliability;

/// <summary>
/// Mutated bundles (bytes flipped, cut, duplicated, base64 damaged, lines dropped) give either a bundle or a
/// <see cref="CertificateBundleException"/>: never another exception, never a hang, and a bundle that loads
/// always decodes on the platform too.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class LoaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private List<byte[]> Seeds()
    {
        var a = OpenSsl.CreateRoot(_dir, "Fuzz A").Certificate;
        var b = TestPki.CreateRoot("Fuzz B");
        var pem = "# Issuer: CN=Fuzz A\n" + File.ReadAllText(a) + b.Pem();
        var bag = _dir.File("bag.p7b");
        OpenSsl.Run(_dir.Path, "crl2pkcs7", "-nocrl", "-certfile", a, "-outform", "DER", "-out", bag);
        var trusted = _dir.File("trusted.pem");
        OpenSsl.Run(_dir.Path, "x509", "-in", a, "-trustout", "-addtrust", "serverAuth", "-out", trusted);
        return
        [
            Encoding.UTF8.GetBytes(pem),
            Encoding.UTF8.GetBytes(pem.Replace("\n", "\r\n", StringComparison.Ordinal)),
            b.RawData,
            File.ReadAllBytes(bag),
            File.ReadAllBytes(trusted),
        ];
    }

    [Fact]
    public void Load_MutatedInputs_OnlySuccessOrBundleException()
    {
        var seeds = Seeds();
        var random = new Random(20261128);
        var outcomes = new Dictionary<string, int>();
        var slowest = TimeSpan.Zero;
        var failures = new List<string>();
        var options = new BundleLoadOptions();
        for (var i = 0; i < ReliabilityScale.FuzzInputs; i++)
        {
            var input = Mutate(seeds[i % seeds.Count], random);
            var clock = Stopwatch.StartNew();
            string outcome;
            try
            {
                var bundle = CertificateBundleLoader.LoadBytes(input, "fuzz", options);
                _ = bundle.Diagnostics.Count;
                outcome = "loaded";
                try
                {
                    foreach (var certificate in bundle.Certificates)
                    {
                        certificate.Dispose();
                    }
                }
                catch (CertificateBundleException)
                {
                    // The DER walk reads the header, not every field: the platform decoder may still refuse a damaged
                    // certificate, and then says so the same way, naming the file and line.
                    outcome = "loaded, refused by the platform decoder";
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

        output.WriteLine($"{ReliabilityScale.FuzzInputs} inputs: {string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}"))}; slowest {slowest.TotalMilliseconds:0.0} ms");
        failures.Should().BeEmpty();
        outcomes.Keys.Should().BeSubsetOf(["loaded", "rejected", "loaded, refused by the platform decoder"]);
        outcomes.GetValueOrDefault("loaded, refused by the platform decoder").Should().BeLessThan(ReliabilityScale.FuzzInputs / 500);
        slowest.Should().BeLessThan(TimeSpan.FromSeconds(1));
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
