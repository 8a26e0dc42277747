using ProvenanceSet.Data;

namespace ProvenanceSet.Cli.Commands;

/// <summary>
/// Compiles the procedure's code on an idle core while a large matrix is hashed and read: a run with the user's settings
/// on a small synthetic matrix, on one thread, then the command's own output of that result (tables and JSON, to
/// nowhere), all dropped. The kernels cannot come precompiled (they choose their vector width on the machine that runs
/// them), so without this the first steps of the real run pay for compiling them, while the second core waits for the CSV
/// reader; and the output code would be compiled after the last step, when nothing else is left to overlap it.
/// </summary>
internal static class WarmUp
{
    // Below this much input the read is too short to hide anything behind.
    private const long FromBytes = 4L << 20;

    private const int Candidates = 6, Prompts = 48;

    /// <summary>
    /// Starts the warm-up when the machine has a core to spare, the run may use more than one thread (not <c>--threads 1</c>)
    /// and the inputs are large; never throws.
    /// </summary>
    /// <param name="settings">The run's settings.</param>
    /// <param name="files">The inputs the run will read.</param>
    /// <param name="output">What the command does with a result (writing it nowhere): compiled early too.</param>
    public static void Start(ProvenanceOptions settings, IReadOnlyList<string> files, Action<ProvenanceResult> output)
    {
        if (Environment.ProcessorCount < 2 || settings.MaxDegreeOfParallelism == 1 || files.Sum(f => new FileInfo(f).Length) < FromBytes)
        {
            return;
        }

        var options = settings with { MaxDegreeOfParallelism = 1, PromptGroups = null, Exact = false };
        _ = Task.Run(() =>
        {
            try
            {
                output(ModelProvenanceSet.Compute(Matrix(), options));
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // Settings that this matrix cannot take (the real run reports its own problems): nothing was compiled early.
            }
        });
    }

    // Candidate 0 is the closest, so that the run takes more than one step; the values are fixed, not random.
    private static DistanceMatrix Matrix()
    {
        var values = new double[Candidates, Prompts];
        for (int i = 0; i < Candidates; i++)
        {
            for (int p = 0; p < Prompts; p++)
            {
                values[i, p] = (i == 0 ? 0.2 : 0.6) + (0.1 * (((i * 7) + (p * 13)) % 11) / 11.0);
            }
        }

        return new DistanceMatrix(values);
    }
}
