using System.Globalization;
using ProvenanceSet.Kernels;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Procedure;

/// <summary>The test-and-exclude loop (docs/algorithm.md), with its diagnostics.</summary>
internal static class SequentialProcedure
{
    public static ProvenanceResult Run(
        PreparedMatrix data, ProvenanceOptions options, IPermutationKernel kernel,
        IProgress<ProvenanceProgress>? progress, CancellationToken cancellationToken)
    {
        int total = data.CandidateCount, n = data.PromptCount;
        var diagnostics = new List<string>();
        DataDiagnostics(data, diagnostics);
        if (options.PValueEstimator == PValueEstimator.Proportion && !options.Exact)
        {
            diagnostics.Add("p-values use the plain proportion #{T* <= T}/R, which can be 0 and is not a valid p-value for finite R; "
                + "the default (1 + #{T* <= T})/(R + 1) is.");
        }

        var active = Enumerable.Range(0, total).ToList();
        var steps = new List<ProvenanceStep>();
        var inclusionP = Enumerable.Repeat(1.0, total).ToArray();
        var firstT = new double[total];
        var set = new List<int>();
        double runningMax = 0;
        bool rejecting = true;
        StoppingReason reason;
        bool robust = options.Variant == ProvenanceVariant.Robust;
        if (robust && options.PromptGroups is not null)
        {
            diagnostics.Add("Prompt groups do not change the robust variant, which compares the candidates' mean distances over all prompts.");
        }

        while (true)
        {
            if (robust && active.Count < RobustStep.MinimumActive && active.Count >= 2)
            {
                reason = StoppingReason.BackgroundTooSmall;
                if (rejecting)
                {
                    diagnostics.Add($"The robust variant stopped with {active.Count} candidates left: fewer than {RobustStep.MinimumActive} leave too few "
                        + "others to estimate the background spread; the remaining candidates keep p̃ = 1 and are not in the set.");
                }

                break;
            }

            if (active.Count < 2)
            {
                reason = options.FullPath ? StoppingReason.FullPathCompleted : StoppingReason.OneCandidateLeft;
                if (rejecting)
                {
                    diagnostics.Add($"Every test rejected until one candidate ('{data.CandidateNames[active[0]]}') was left; "
                        + "a single candidate cannot be tested against others, so it is reported with p̃ = 1 and is not in the set.");
                }

                break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            int stepIndex = steps.Count;
            var step = robust
                ? RobustStep.Run(data, options, kernel, stepIndex, [.. active], diagnostics, progress, cancellationToken)
                : RunStep(data, options, kernel, stepIndex, [.. active], diagnostics, progress, cancellationToken);
            if (stepIndex == 0)
            {
                for (int k = 0; k < active.Count; k++)
                {
                    firstT[active[k]] = step.CandidateStatistics[k];
                }
            }

            runningMax = Math.Max(runningMax, step.PValue);
            bool included = rejecting && runningMax <= options.Alpha;
            steps.Add(step with { PValueMonotone = runningMax, Included = included });
            // The tested candidate gets this step's p̃ whether or not the path goes on, so its
            // inclusion p-value is the same as a full-path run would report.
            inclusionP[step.CandidateIndex] = runningMax;
            if (step.BackgroundGroups is int groups && groups < ClusteredBackground.MinimumGroups)
            {
                // The clustered calibration cannot estimate a background spread from so few groups: the
                // step is recorded (p = 1) and the loop ends, with or without the full path.
                reason = StoppingReason.TooFewBackgroundGroups;
                if (rejecting)
                {
                    diagnostics.Add($"Step {stepIndex + 1}: the {active.Count} remaining candidates form only {groups} group(s) that the data can tell apart "
                        + $"(candidates within one standard error of each other count once); at least {ClusteredBackground.MinimumGroups} are needed to estimate "
                        + "the background's spread, so no further candidate can enter the set. The remaining candidates keep p̃ = 1.");
                }

                break;
            }

            if (included)
            {
                set.Add(step.CandidateIndex);
            }
            else
            {
                rejecting = false;
                if (!options.FullPath)
                {
                    reason = StoppingReason.NotRejected;
                    break;
                }
            }

            active.Remove(step.CandidateIndex);
        }

        var rank = new Dictionary<int, int>();
        for (int r = 0; r < set.Count; r++)
        {
            rank[set[r]] = r + 1;
        }

        var candidates = new CandidateResult[total];
        for (int i = 0; i < total; i++)
        {
            candidates[i] = new CandidateResult
            {
                Index = i,
                Name = data.CandidateNames[i],
                MeanDistance = data.ToInputScale(data.MeanDistances[i]),
                FirstStepStatistic = firstT[i],
                InclusionPValue = inclusionP[i],
                NiScore = 1 - inclusionP[i],
                InSet = rank.ContainsKey(i),
                SetRank = rank.TryGetValue(i, out int r) ? r : null,
            };
        }

        return new ProvenanceResult
        {
            Set = [.. set.Select(i => data.CandidateNames[i])],
            SetIndices = [.. set],
            Steps = steps,
            Candidates = candidates,
            Alpha = options.Alpha,
            Permutations = options.Exact ? 0 : options.Permutations,
            Seed = options.Seed,
            Variant = options.Variant,
            Exact = options.Exact,
            FullPath = options.FullPath,
            PValueEstimator = options.PValueEstimator,
            StoppingReason = reason,
            PromptCount = n,
            GroupCount = data.GroupCount,
            TargetName = data.TargetName,
            Diagnostics = diagnostics,
            Assumptions = AssumptionChecks.For(data, options, kernel, steps, cancellationToken),
            Background = robust ? options.Background : null,
        };
    }

    /// <summary>One step of the faithful procedure (also the exchangeability test of the robust variant's clustered calibration).</summary>
    internal static ProvenanceStep RunStep(
        PreparedMatrix data, ProvenanceOptions options, IPermutationKernel kernel, int stepIndex, int[] active,
        List<string> diagnostics, IProgress<ProvenanceProgress>? progress, CancellationToken cancellationToken)
    {
        int m = active.Length;
        StepData stepData = data.BuildStep(active);
        var s1 = new double[m];
        var s2 = new double[m];
        stepData.ObservedSums(s1, s2);
        var t = new double[m];
        StudentizedStatistic.Vector(s1, s2, stepData.PromptCount, t);
        double observed = StudentizedStatistic.Min(s1, s2, stepData.PromptCount, out int argMin);
        StepDiagnostics(data, stepIndex, active, t, observed, argMin, diagnostics);

        long rounds = options.Exact
            ? ExactRelabellings.Count(m, stepData.GroupCount, ProvenanceOptions.MaxExactRelabellings)
            : options.Permutations;
        double threshold = StudentizedStatistic.CountThreshold(observed);
        Action<long>? onRounds = progress is null ? null : completed =>
            progress.Report(new ProvenanceProgress(stepIndex, m, completed, rounds));
        progress?.Report(new ProvenanceProgress(stepIndex, m, 0, rounds));
        double[] nulls = options.Exact
            ? NullDistribution.Exact(stepData, rounds, options.MaxDegreeOfParallelism, onRounds, cancellationToken)
            : NullDistribution.MonteCarlo(stepData, kernel, new RoundStream(options.Seed, stepIndex, 0), options.Permutations, StopRule.For(options, rounds),
                threshold, options.MaxDegreeOfParallelism, onRounds, cancellationToken);

        // A step that stopped early ran fewer rounds: its p comes from those (docs/algorithm.md, "Early stopping").
        long run = nulls.Length;
        if (run < rounds)
        {
            progress?.Report(new ProvenanceProgress(stepIndex, m, run, run));
        }

        double tieFloor = observed - (threshold - observed);
        long atMost = 0, ties = 0;
        foreach (double value in nulls)
        {
            if (value <= threshold)
            {
                atMost++;
                if (value >= tieFloor)
                {
                    ties++;
                }
            }
        }

        double p = options.Exact ? (double)atMost / rounds : StopRule.PValue(atMost, run, options.PValueEstimator);

        // Ties beyond the identity (exact mode) are worth a word when they are common.
        long extraTies = options.Exact ? ties - 1 : ties;
        if (extraTies > 0 && extraTies >= 0.05 * run)
        {
            diagnostics.Add(string.Create(CultureInfo.InvariantCulture,
                $"Step {stepIndex + 1}: {extraTies} of {run} permuted statistics tie with the observed T = {observed:G6} (heavy ties); ties count as T* <= T, which makes p conservative."));
        }

        return NewStep(data, stepIndex, active, argMin, observed, t, p, run, atMost, ties, nulls);
    }

    /// <summary>A step's record before the loop knows its running maximum and inclusion (both variants).</summary>
    internal static ProvenanceStep NewStep(
        PreparedMatrix data, int stepIndex, int[] active, int argMin, double observed, double[] statistics,
        double p, long rounds, long atMost, long ties, double[] nulls) => new()
        {
            Index = stepIndex,
            Candidate = data.CandidateNames[active[argMin]],
            CandidateIndex = active[argMin],
            ActiveCount = active.Length,
            Statistic = observed,
            ActiveCandidates = active,
            CandidateStatistics = statistics,
            PValue = p,
            PValueMonotone = p,
            Included = false,
            PermutationsRun = rounds,
            ExceedanceCount = atMost,
            TieCount = ties,
            NullStatistics = nulls,
        };

    private static void StepDiagnostics(PreparedMatrix data, int stepIndex, int[] active, double[] t, double observed, int argMin, List<string> diagnostics)
    {
        var infinite = Enumerable.Range(0, active.Length).Where(k => double.IsInfinity(t[k])).ToList();
        if (infinite.Count > 0)
        {
            diagnostics.Add($"Step {stepIndex + 1}: {Names(data, active, infinite)} have a relative distance that is constant across prompts "
                + "(zero variance), so their t is reported as -Infinity (closer) or +Infinity (farther) instead of a ratio with zero.");
        }

        var tiedForMin = Enumerable.Range(0, active.Length).Where(k => t[k] == observed).ToList();
        if (tiedForMin.Count > 1 && !(observed == 0 && tiedForMin.Count == active.Length))
        {
            diagnostics.Add($"Step {stepIndex + 1}: {Names(data, active, tiedForMin)} tie for the lowest t; "
                + $"the lowest index ('{data.CandidateNames[active[argMin]]}') is tested first.");
        }
    }

    private static string Names(PreparedMatrix data, int[] active, List<int> positions)
    {
        const int Shown = 5;
        string list = string.Join(", ", positions.Take(Shown).Select(k => $"'{data.CandidateNames[active[k]]}'"));
        return positions.Count > Shown ? $"{list} and {positions.Count - Shown} more" : list;
    }

    private static void DataDiagnostics(PreparedMatrix data, List<string> diagnostics)
    {
        int m = data.CandidateCount, n = data.PromptCount;
        var row = new double[n];
        for (int i = 0; i < m; i++)
        {
            data.CopyRow(i, row);
            double first = row[0];
            if (row.AsSpan().IndexOfAnyExcept(first) < 0)
            {
                diagnostics.Add(first == 0
                    ? $"Candidate '{data.CandidateNames[i]}' has distance 0 to the target on every prompt: it reproduces the target's outputs exactly "
                        + "(check that it is not the target itself)."
                    : string.Create(CultureInfo.InvariantCulture,
                        $"Candidate '{data.CandidateNames[i]}' has the same distance ({data.ToInputScale(first):G6}) on every prompt (zero variance)."));
            }
        }

        int constantPrompts = data.CountConstantPrompts();

        if (constantPrompts == n)
        {
            diagnostics.Add("All candidates have identical distances on every prompt: no candidate can be told apart from the others, "
                + "every statistic is 0 and the set is empty.");
        }
        else if (constantPrompts >= Math.Max(1, n / 10))
        {
            diagnostics.Add($"{constantPrompts} of {n} prompts give every candidate the same distance; they carry no information "
                + "(kept: they add zero to every relative distance).");
        }
    }
}
