using System.Text.RegularExpressions;
using ModelClient;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Samples;

/// <summary>
/// The README's Install section, run line by line from a fresh clone (of the last commit): pack, a new console app, the
/// package from the folder, the README's Program.cs, and a trusted call to a local HTTPS server behind a private CA.
/// </summary>
public sealed partial class InstallTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Install_ReadmeLinesFromAFreshClone_TrustedCallToPrivateCaServer()
    {
        var install = ReadmeSection("## Install");
        var blocks = CodeBlocks().Matches(install).Select(m => (Language: m.Groups[1].Value, Text: m.Groups[2].Value)).ToList();
        blocks.Select(b => b.Language).Should().StartWith(["sh", "csharp", "sh"], "the Install section is: commands, Program.cs, the run line");
        var run = RunLine().Match(blocks[2].Text.Trim());
        run.Success.Should().BeTrue($"the run line has the form 'SSL_CERT_FILE=… dotnet run -- URL', not '{blocks[2].Text.Trim()}'");

        var pki = DemoPki.Create("Install");
        await using var server = await LocalModelServer.StartAsync(pki.Server, [pki.Intermediate]);
        var clone = Path.Combine(_dir.Path, "privateca");
        await Succeeds($"git clone --quiet --no-hardlinks {Quote(Shell.RepositoryRoot)} {Quote(clone)}", _dir.Path);

        // A private package folder, so the package comes from ./artifacts and never from an older copy in the user's cache;
        // everything else is read from that cache, as a user's restore would.
        var environment = new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = Path.Combine(_dir.Path, "nuget-packages"),
            ["RestoreAdditionalProjectFallbackFolders"] = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        };
        await Succeeds(blocks[0].Text, clone, environment);
        File.WriteAllText(Path.Combine(_dir.Path, "MyApp", "Program.cs"), blocks[1].Text);
        environment["SSL_CERT_FILE"] = pki.WriteBundle(_dir.Path);
        var output = await Succeeds($"dotnet run -- {new Uri(server.Endpoint, "models")}", Path.Combine(_dir.Path, "MyApp"), environment);

        output.Should().Contain(LocalModelServer.ModelName);
        Directory.Exists(Path.Combine(environment["NUGET_PACKAGES"], "privateca", "0.1.0-dev")).Should().BeTrue("the package came from the packed folder");
        Directory.EnumerateFiles(Path.Combine(clone, "artifacts")).Select(Path.GetFileName)
            .Should().Contain(["PrivateCa.0.1.0-dev.nupkg", "PrivateCa.ClientModel.0.1.0-dev.nupkg", "PrivateCa.Tool.0.1.0-dev.nupkg"]);
    }

    internal static string ReadmeSection(string heading)
    {
        var readme = File.ReadAllText(Path.Combine(Shell.RepositoryRoot, "README.md"));
        var start = readme.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, $"README.md has a '{heading}' section");
        var end = readme.IndexOf("\n## ", start + heading.Length + 2, StringComparison.Ordinal);
        return readme[start..(end < 0 ? readme.Length : end)];
    }

    private static async Task<string> Succeeds(string command, string workingDirectory, Dictionary<string, string>? environment = null)
    {
        var (exitCode, output) = await Shell.RunAsync(command, workingDirectory, environment, TimeSpan.FromMinutes(10));
        exitCode.Should().Be(0, $"'{command}' in {workingDirectory} printed:\n{output}");
        return output;
    }

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"```(\w+)\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlocks();

    [GeneratedRegex(@"^SSL_CERT_FILE=\S+ dotnet run -- https://\S+$")]
    private static partial Regex RunLine();
}
