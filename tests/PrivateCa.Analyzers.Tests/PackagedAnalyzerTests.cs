using System.Diagnostics;

namespace PrivateCa.Analyzers.Tests;

/// <summary>
/// The analyzer as a user meets it: PrivateCa packed from the already-built outputs, a small consumer restored from that
/// package (its other dependencies from the local package cache) and built; PCA001 must appear in the build output.
/// </summary>
public sealed class PackagedAnalyzerTests
{
    private const string AcceptAnyProgram = """
        using System.Net.Http;

        using var client = new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => true,
        });
        System.Console.WriteLine(client.Timeout);
        """;

    [Fact]
    public async Task Build_ConsumerOfThePackageWithAcceptAnyCallback_ReportsPca001()
    {
        var root = RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("privateca-analyzer-");
        try
        {
            // A version no other build uses, restored into a private folder: nothing lands in the shared package cache.
            var version = "0.0.0-analyzertest." + Guid.NewGuid().ToString("N")[..12];
            var feed = Directory.CreateDirectory(Path.Combine(work.FullName, "feed")).FullName;
            var (packExit, packOutput) = await DotnetAsync(root, "pack", Path.Combine(root, "src", "PrivateCa", "PrivateCa.csproj"),
                "--no-build", "-c", Configuration, "-o", feed, "-p:PackageVersion=" + version, "-p:IncludeSymbols=false");
            packExit.Should().Be(0, packOutput);

            var consumer = Directory.CreateDirectory(Path.Combine(work.FullName, "consumer")).FullName;
            await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <RestorePackagesPath>{Path.Combine(work.FullName, "packages")}</RestorePackagesPath>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="PrivateCa" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                  </packageSources>
                  <fallbackPackageFolders>
                    <add key="cache" value="{GlobalPackagesFolder()}" />
                  </fallbackPackageFolders>
                </configuration>
                """);
            await File.WriteAllTextAsync(Path.Combine(consumer, "Program.cs"), AcceptAnyProgram);

            var (buildExit, buildOutput) = await DotnetAsync(consumer, "build", "-c", "Release", "-nologo", "--disable-build-servers");

            buildExit.Should().Be(0, buildOutput);
            buildOutput.Should().MatchRegex(@"Program\.cs\(5,\d+\): warning PCA001: Certificate validation accepts any server: the callback returns true on every path");
            buildOutput.Should().Contain("Finding accept-any code");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PrivateCa.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No PrivateCa.sln above {AppContext.BaseDirectory}.");
    }

    private static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static async Task<(int ExitCode, string Output)> DotnetAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // The test host's MSBuild variables would point the child build at this test's own SDK resolution.
        start.Environment.Remove("MSBuildSDKsPath");
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
