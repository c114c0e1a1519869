using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Phases URL MODE — MODE 'privateca': AddHttpClient("model").AddPrivateCaTrust() (bundle from SSL_CERT_FILE);
// 'plain': AddHttpClient("model") alone (.NET's system trust, which on Linux also reads SSL_CERT_FILE).
// Logging is on (a provider that formats and drops every line of Information and above), as in an app.
// Prints one line: milliseconds from process start to Main, then for each phase.
var sinceStart = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
var clock = Stopwatch.StartNew();
double Lap()
{
    var lap = clock.Elapsed.TotalMilliseconds;
    clock.Restart();
    return lap;
}

var url = new Uri(args[0]);
var services = new ServiceCollection();
services.AddLogging(logging => logging.AddProvider(new DroppingLoggerProvider()));
var client = services.AddHttpClient("model");
if (args[1] == "privateca")
{
    client.AddPrivateCaTrust();
}

var register = Lap();
await using var provider = services.BuildServiceProvider();
var factory = provider.GetRequiredService<IHttpClientFactory>();
var build = Lap();
var http = factory.CreateClient("model");
var create = Lap();
await http.GetStringAsync(url);
var first = Lap();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"start {sinceStart:0.0} register {register:0.0} factory {build:0.0} createclient {create:0.0} first-request {first:0.0}"));

internal sealed class DroppingLoggerProvider : ILoggerProvider, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            _ = formatter(state, exception);
        }
    }
}
