using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace PrivateCa.Cli;

/// <summary>System.CommandLine validators for the values the tool accepts; a rejected value is a parse error naming the option.</summary>
internal static class Validate
{
    /// <summary>Every value is a non-empty path without control characters.</summary>
    public static T Paths<T>(this T symbol)
        where T : Symbol
    {
        Add(symbol, result =>
        {
            foreach (var token in result.Tokens)
            {
                if (string.IsNullOrWhiteSpace(token.Value))
                {
                    result.AddError($"{Name(result)}: a path cannot be empty.");
                }
                else if (token.Value.Any(char.IsControl) || token.Value.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
                {
                    result.AddError($"{Name(result)}: '{Output.Escape(token.Value)}' is not a usable path.");
                }
            }
        });
        return symbol;
    }

    /// <summary>Every value is a DNS name, a wildcard pattern or an IP address.</summary>
    public static T HostNames<T>(this T symbol)
        where T : Symbol
    {
        Add(symbol, result =>
        {
            foreach (var token in result.Tokens)
            {
                foreach (var host in token.Value.Split(','))
                {
                    var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
                    if (Uri.CheckHostName(name.Trim('[', ']')) == UriHostNameType.Unknown)
                    {
                        result.AddError($"{Name(result)}: '{Output.Escape(host)}' is not a host name or IP address.");
                    }
                }
            }
        });
        return symbol;
    }

    /// <summary>Every value is the base64 SHA-256 of a SubjectPublicKeyInfo (32 bytes).</summary>
    public static Option<string[]> Pins(this Option<string[]> option)
    {
        option.Validators.Add(result =>
        {
            Span<byte> bytes = stackalloc byte[33];
            foreach (var token in result.Tokens)
            {
                if (!Convert.TryFromBase64String(token.Value, bytes, out var written) || written != 32)
                {
                    result.AddError($"{Name(result)}: '{Output.Escape(token.Value)}' is not a base64 SHA-256 (44 characters, 32 bytes).");
                }
            }
        });
        return option;
    }

    /// <summary>The value is a number of seconds between 0 (excluded) and <paramref name="maximum"/>.</summary>
    public static Option<double> Seconds(this Option<double> option, double maximum)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count != 1 || !double.TryParse(result.Tokens[0].Value, CultureInfo.InvariantCulture, out var value))
            {
                return; // Not a number at all: the parser reports that itself.
            }

            if (!double.IsFinite(value) || value <= 0 || value > maximum)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{Name(result)}: '{Output.Escape(string.Join(' ', result.Tokens.Select(t => t.Value)))}' is not a number of seconds between 0 and {maximum}."));
            }
        });
        return option;
    }

    /// <summary>The value is an absolute URL with one of the given schemes and a host.</summary>
    public static T Url<T>(this T symbol, params string[] schemes)
        where T : Symbol
    {
        Add(symbol, result =>
        {
            foreach (var token in result.Tokens)
            {
                if (!Uri.TryCreate(token.Value, UriKind.Absolute, out var uri) || !schemes.Contains(uri.Scheme) || string.IsNullOrEmpty(uri.Host))
                {
                    result.AddError($"{Name(result)}: '{Output.Escape(token.Value)}' is not a {string.Join(" or ", schemes.Select(s => s + "://"))} URL with a host.");
                }
            }
        });
        return symbol;
    }

    private static void Add(Symbol symbol, Action<SymbolResult> validator)
    {
        switch (symbol)
        {
            case Option option:
                option.Validators.Add(validator);
                break;
            case Argument argument:
                argument.Validators.Add(validator);
                break;
            default:
                throw new ArgumentException($"{symbol.Name} is neither an option nor an argument.", nameof(symbol));
        }
    }

    private static string Name(SymbolResult result) => result switch
    {
        OptionResult option => option.Option.Name,
        ArgumentResult argument => argument.Argument.Name,
        _ => "value",
    };
}
