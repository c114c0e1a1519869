using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace PrivateCa.Analyzers.Tests;

/// <summary>Runs the analyzer (and its code fix) over C# sources written with the testing library's markup: {|PCA001:...|}.</summary>
internal static class Verify
{
    /// <summary>Usings every test source starts with, so each test shows only the code it is about.</summary>
    public const string Usings = """
        using System;
        using System.IO;
        using System.Net;
        using System.Net.Http;
        using System.Net.Security;
        using System.Security.Authentication;
        using System.Security.Cryptography;
        using System.Security.Cryptography.X509Certificates;
        using Microsoft.Extensions.DependencyInjection;

        """;

    public static Task AnalyzerAsync(string source)
    {
        var test = new CSharpAnalyzerTest<AcceptAnyCertificateAnalyzer, DefaultVerifier> { TestCode = Usings + source };
        Configure(test.TestState);
        return test.RunAsync();
    }

    /// <summary>Applies the fix and compares with <paramref name="fixedSource"/>; null asserts that no fix is offered.</summary>
    public static Task CodeFixAsync(string source, string? fixedSource)
    {
        var test = new CSharpCodeFixTest<AcceptAnyCertificateAnalyzer, AcceptAnyCertificateCodeFixProvider, DefaultVerifier>
        {
            TestCode = Usings + source,
            FixedCode = fixedSource ?? Usings + source,
        };
        Configure(test.TestState);
        return test.RunAsync();
    }

    private static void Configure(SolutionState state)
    {
        state.ReferenceAssemblies = References.None;
        state.AdditionalReferences.AddRange(References.Framework);
        state.OutputKind = Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary;
    }
}
