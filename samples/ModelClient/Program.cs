using ModelClient;

// dotnet run --project samples/ModelClient                 the local demo (private CA, local endpoint, both SDK paths)
// dotnet run --project samples/ModelClient -- --help       usage and exit codes
return await ModelClientCommand.RunAsync(args, Console.Out, Console.Error);
