using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PrivateCa.Tests.Infrastructure;
using PrivateCa.Tests.Integration;

namespace PrivateCa.Tests.Bundle;

/// <summary>
/// A bundle named as /proc/self/fd/N or /dev/fd/N where N is a pipe this process holds — what bash's process substitution,
/// <c>&lt;(cat ca.pem)</c>, hands a program — is read once from that descriptor, up to the size limit, or refused with a reason
/// when reading it would never end or would be re-read. (The tool's side, through bash, is in Cli/ProcessSubstitutionTests.)
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class InheritedPipeTests
{
    private static readonly string RootPem = Pki.PemOf(Pki.Root("Pipe Root"));

    /// <summary>A pipe holding <paramref name="content"/> whose writing end is closed: a reader gets the content, then the end.</summary>
    private static SafePipeHandle WrittenPipe(string content)
    {
        using var writer = new AnonymousPipeServerStream(PipeDirection.Out);
        var reader = writer.ClientSafePipeHandle;
        writer.Write(Encoding.ASCII.GetBytes(content));
        return reader;
    }

    private static string Descriptor(SafeHandle handle, string prefix = "/proc/self/fd/") =>
        prefix + handle.DangerousGetHandle().ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Load_PipeNamedTwiceByItsDescriptor_IsReadOnce()
    {
        using var pipe = WrittenPipe(RootPem);

        var bundle = CertificateBundleLoader.Load([Descriptor(pipe), Descriptor(pipe, "/dev/fd/")]);

        bundle.Count.Should().Be(1);
        bundle.Sources.Should().Equal(Descriptor(pipe));
    }

    [Fact]
    public void Load_PipeOverTheSizeLimit_FailsNamingTheLimit()
    {
        using var pipe = WrittenPipe(RootPem + new string('#', 2000));

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(Descriptor(pipe), new BundleLoadOptions { MaxFileSize = 1000 }));

        error.Message.Should().Contain(Descriptor(pipe)).And.Contain("pipe").And.Contain("over the 1,000-byte limit");
    }

    [Fact]
    public void Load_PipeWhoseWritingEndThisProcessHolds_FailsWithoutBlocking()
    {
        using var writer = new AnonymousPipeServerStream(PipeDirection.Out);
        writer.Write(Encoding.ASCII.GetBytes(RootPem));

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(Descriptor(writer.ClientSafePipeHandle)));

        error.Message.Should().Contain(Descriptor(writer.ClientSafePipeHandle))
            .And.Contain($"holds the pipe's writing end (descriptor {writer.SafePipeHandle.DangerousGetHandle()})");
    }

    [Fact]
    public void Load_WritingEndOfAPipe_SaysItIsTheWritingEnd()
    {
        using var writer = new AnonymousPipeServerStream(PipeDirection.Out);

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(Descriptor(writer.SafePipeHandle)));

        error.Message.Should().Contain(Descriptor(writer.SafePipeHandle)).And.Contain("the writing end of a pipe");
    }

    [Fact]
    public void StartUp_PipeAsAWatchedBundlePath_IsRefusedAsReadableOnlyOnce()
    {
        using var pipe = WrittenPipe(RootPem);
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(Descriptor(pipe)));
        using var provider = services.Build();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().WithMessage($"*'{Descriptor(pipe)}'*pipe*only once*ReloadOnChange*");
    }

    [Fact]
    public void StartUp_PipeAsABundlePathReadOnce_IsLoaded()
    {
        using var pipe = WrittenPipe(RootPem);
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o =>
        {
            o.BundlePaths.Add(Descriptor(pipe));
            o.ReloadOnChange = false;
        });
        using var provider = services.Build();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().NotThrow();
    }
}
