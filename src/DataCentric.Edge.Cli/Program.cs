using DataCentric.Edge.Cli;

return await EdgectlApp.RunAsync(args, Console.Out, Console.Error);
