using ProvenanceSet.Cli;

return MpsCommandLine.Run(args, Console.Out, Console.Error);
