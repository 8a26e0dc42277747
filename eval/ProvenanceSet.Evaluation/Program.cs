using ProvenanceSet.Evaluation;

// dotnet run -c Release --project eval/ProvenanceSet.Evaluation [-- --quick] [--out DIR] [--realdata DIR] [--no-real]
return EvaluationRunner.Run(args);
