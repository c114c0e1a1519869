using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;

namespace PrivateCa.Cli;

/// <summary>
/// The command tree and the one place that turns every outcome into one line on standard error and an
/// exit code from <see cref="ExitCodes"/>: no stack trace reaches the user, whatever the arguments.
/// </summary>
internal static class PrivatecaCommand
{
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json") { Description = "Write one JSON document instead of text.", Recursive = true };
        // A plain root named "privateca" rather than RootCommand, whose name is the assembly's (PrivateCa.Cli).
        var root = new Command("privateca", "Inspect CA bundles, verify chains, probe HTTPS servers and merge bundles with PrivateCa's trust engine.")
        {
            new HelpOption(),
            new VersionOption(),
            json,
            InspectCommand.Create(json),
            VerifyCommand.Create(json),
            ProbeCommand.Create(json),
            MergeCommand.Create(json),
        };

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,

            // merge --watch handles SIGTERM itself and exits 0; nothing else runs long enough to need a grace period.
            ProcessTerminationTimeout = null,
        };
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            return Output.Fail(error, UsageOrBadInput(result.Errors), $"{string.Join("; ", result.Errors.Select(e => e.Message.ReplaceLineEndings(" ")))} (see privateca --help)");
        }

        try
        {
            return await result.InvokeAsync(configuration);
        }
        catch (OperationCanceledException)
        {
            return Output.Fail(error, ExitCodes.NetworkFailure, "cancelled.");
        }
#pragma warning disable CA1031 // The last line of defence: any failure is one line, never a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Output.Fail(error, ExitCodes.BadInput, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>
    /// A value that was given but rejected (a malformed URL, a negative timeout, an unknown mode) is bad input;
    /// anything else (an unknown option, a missing argument or command) means the command line itself is wrong.
    /// </summary>
    private static int UsageOrBadInput(IReadOnlyList<ParseError> errors) =>
        errors.All(e => e.SymbolResult is OptionResult { Tokens.Count: > 0 } or ArgumentResult { Tokens.Count: > 0 })
            ? ExitCodes.BadInput
            : ExitCodes.Usage;
}
