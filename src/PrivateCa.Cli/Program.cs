using PrivateCa.Cli;

return await PrivatecaCommand.InvokeAsync(args, Console.Out, Console.Error);
