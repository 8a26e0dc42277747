using ProvenanceSet.Data;
using ProvenanceSet.Kernels;
using ProvenanceSet.Procedure;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Tests.Kernels;

/// <summary>
/// Every fast kernel against the scalar reference on the same random streams: identical permutations,
/// identical sums, identical T* (compared bit for bit, no tolerance), for every m from 2 to 70, odd N,
/// batches that are not multiples of the lane count, and prompt groups.
/// </summary>
public class KernelEquivalenceTests
{
    // FNV-1a of the 64 null statistics' bits in GoldenNullStatistics_AreTheSameOnEveryInstructionSet.
    private const ulong GoldenHash = 5995278279115234222UL;

    public static TheoryData<int> EveryM() => [.. Enumerable.Range(2, 69)];

    /// <summary>The fast kernels (every one runs on any CPU: widths the CPU lacks are emulated).</summary>
    private static IEnumerable<IPermutationKernel> FastKernels => KernelSelection.All.Where(k => k != ScalarReferenceKernel.Instance);

    [Theory]
    [MemberData(nameof(EveryM))]
    public void SwapTargetPlan_DrawsTheShufflePlansPermutations(int m) =>
        AssertSwapTargetsMatchShufflePlan(m, TestData.Hash($"swap-targets-{m}"), draws: 2000);

    [Fact]
    public void SwapTargetPlan_MatchesForLargeM()
    {
        foreach (int m in new[] { 71, 128, 200, 255, 256, 257, 300, 1000 })
        {
            AssertSwapTargetsMatchShufflePlan(m, (ulong)m, draws: 200);
        }
    }

    [Theory]
    [MemberData(nameof(EveryM))]
    public void FastKernels_DrawTheReferencePermutations(int m)
    {
        // e[p, k] = (k + 1)·128^p (candidate rows read in place, every centre 0): with N = 3 every position's sum
        // spells the three permuted indices exactly, so equal sums mean equal permutations.
        const int N = 3, Rounds = 11;
        var rows = new double[N * m];
        for (int p = 0; p < N; p++)
        {
            for (int k = 0; k < m; k++)
            {
                rows[(k * N) + p] = (k + 1) * Math.Pow(128, p);
            }
        }

        var step = new StepData(rows, N, [.. Enumerable.Range(0, m)], null, new double[N], [0, 1, 2, 3]);
        (double[] s1, double[] s2) = ReferenceSums(step, seed: 7, stepIndex: 2, firstRound: 5, Rounds);
        foreach (var kernel in FastKernels)
        {
            (double[] f1, double[] f2) = FastSums(kernel, step, 7, 2, 5, Rounds);
            Assert.True(Bits(s1).SequenceEqual(Bits(f1)), $"{kernel.Name}, m = {m}: permutations differ");
            Assert.True(Bits(s2).SequenceEqual(Bits(f2)), $"{kernel.Name}, m = {m}: squares differ");
        }
    }

    [Theory]
    [MemberData(nameof(EveryM))]
    public void FastKernels_GiveTheReferenceNullStatistics_BitForBit(int m)
    {
        foreach (int n in new[] { 3, (2 * m) + 1, 257 })
        {
            var step = Step(TestData.Hash($"kernel-{m}-{n}"), m, n, groups: null);
            AssertSameAsReference(step, m, n, rounds: 13, firstRound: 3);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(64)]
    [InlineData(70)]
    public void FastKernels_WithPromptGroups_GiveTheReferenceNullStatistics(int m)
    {
        // Groups of 1 to 60 prompts, interleaved in the input, so that groups straddle the kernels' blocks.
        const int N = 401;
        var rng = new Xoshiro256StarStar(TestData.Hash($"groups-{m}"));
        var groups = new int[N];
        int label = 0, left = 0;
        for (int t = 0; t < N; t++)
        {
            if (left == 0)
            {
                label++;
                left = 1 + (int)rng.NextBounded(60);
            }

            groups[t] = label;
            left--;
        }

        // Interleave the labels: the stored order (group-contiguous) then differs from the input order.
        int[] shuffled = [.. groups.Select((g, t) => (g, key: rng.NextUInt64())).OrderBy(x => x.key).Select(x => x.g)];
        var step = Step(TestData.Hash($"grouped-{m}"), m, N, shuffled);
        Assert.True(step.GroupCount < N / 5);
        AssertSameAsReference(step, m, N, rounds: 21, firstRound: 0);
    }

    [Theory]
    [MemberData(nameof(EveryM))]
    public void GroupPermutations_GiveTheReferenceSums_BitForBit_OnEveryPath(int m)
    {
        // Groups of 1 to 12 prompts (singletons included): the default takes the group path here; forced
        // onto each of the column kinds (the 16-bit ones included, which pools above 256 candidates take),
        // every lane width must give the reference's sums.
        const int N = 97;
        int[] groups = GroupLabels(TestData.Hash($"group-path-{m}"), N, maxSize: 12);
        var step = Step(TestData.Hash($"group-path-values-{m}"), m, N, groups);
        Assert.Equal(ColumnKind.GroupPermutations, ColumnPaths.For(step));
        (double[] s1, double[] s2) = ReferenceSums(step, seed: 8, stepIndex: 3, firstRound: 4, rounds: 13);
        foreach (ColumnKind columns in Enum.GetValues<ColumnKind>())
        {
            foreach (var kernel in FastKernels)
            {
                (double[] f1, double[] f2) = FastSums(kernel, step, 8, 3, 4, 13, columns);
                Assert.True(Bits(s1).SequenceEqual(Bits(f1)), $"{kernel.Name}, {columns}, m = {m}: sums differ");
                Assert.True(Bits(s2).SequenceEqual(Bits(f2)), $"{kernel.Name}, {columns}, m = {m}: squares differ");
            }
        }
    }

    [Theory]
    [InlineData(3, 700)]
    [InlineData(50, 333)]
    [InlineData(200, 90)]
    [InlineData(256, 41)]
    [InlineData(300, 37)]
    public void GroupPermutations_HandleGroupsLargerThanAChunk(int m, int bigGroup)
    {
        // One group bigger than the values the group path reads at once (it is then read in slices, once per
        // pass), between small groups, and a lone prompt at the end.
        int n = bigGroup + 23;
        int[] groups = [.. Enumerable.Range(0, n).Select(t => t < 10 ? t / 3 : t < 10 + bigGroup ? 100 : t == n - 1 ? 300 : 200 + (t % 4))];
        var step = Step(TestData.Hash($"big-group-{m}"), m, n, groups);
        Assert.Equal(m > 256 ? ColumnKind.WideGroupPermutations : ColumnKind.GroupPermutations, ColumnPaths.For(step));
        AssertSameAsReference(step, m, n, rounds: 11, firstRound: 6);
    }

    [Fact]
    public void GroupPermutations_AreChosenFromAMeanGroupSizeOf2Point5_With16BitIndicesAbove256Candidates()
    {
        // A mean group size of 2.5 and more takes the group path (here 41 prompts in 14 groups, the last one a
        // pair); pairs keep the per-prompt columns. Above 256 candidates a byte cannot index the permutation, so
        // the group path runs on 16-bit indices, and so do the per-prompt index columns of pairs.
        var triples = Step(31, 10, 41, [.. Enumerable.Range(0, 41).Select(t => t / 3)]);
        var pairs = Step(32, 10, 42, [.. Enumerable.Range(0, 42).Select(t => t / 2)]);
        var wide = Step(33, 257, 40, [.. Enumerable.Range(0, 40).Select(t => t / 4)]);
        var widePairs = Step(34, 300, 42, [.. Enumerable.Range(0, 42).Select(t => t / 2)]);
        Assert.Equal(ColumnKind.GroupPermutations, ColumnPaths.For(triples));
        Assert.Equal(ColumnKind.Values, ColumnPaths.For(pairs));
        Assert.Equal(ColumnKind.WideGroupPermutations, ColumnPaths.For(wide));
        Assert.Equal(ColumnKind.WideIndices, ColumnPaths.For(widePairs));
        AssertSameAsReference(triples, 10, 41, rounds: 9, firstRound: 2);
        AssertSameAsReference(wide, 257, 40, rounds: 5, firstRound: 0);
        AssertSameAsReference(widePairs, 300, 42, rounds: 5, firstRound: 3);
    }

    [Theory]
    [MemberData(nameof(EveryM))]
    public void IndexColumns_DrawTheReferencePermutations_AndSums_BitForBit(int m)
    {
        // The index path runs from 128 candidates on by default (16-bit indices above 256); both index widths are
        // forced here at every small m, in every lane width.
        foreach (int n in new[] { 3, (2 * m) + 1 })
        {
            var step = Step(TestData.Hash($"index-{m}-{n}"), m, n, groups: null);
            (double[] s1, double[] s2) = ReferenceSums(step, seed: 5, stepIndex: 1, firstRound: 2, rounds: 13);
            foreach (var columns in new[] { ColumnKind.Indices, ColumnKind.WideIndices })
            {
                foreach (var kernel in FastKernels)
                {
                    (double[] f1, double[] f2) = FastSums(kernel, step, 5, 1, 2, 13, columns);
                    Assert.True(Bits(s1).SequenceEqual(Bits(f1)), $"{kernel.Name}, {columns}, m = {m}, n = {n}: sums differ");
                    Assert.True(Bits(s2).SequenceEqual(Bits(f2)), $"{kernel.Name}, {columns}, m = {m}, n = {n}: squares differ");
                }
            }
        }
    }

    [Theory]
    [InlineData(127, false)]
    [InlineData(128, true)]
    [InlineData(200, true)]
    [InlineData(256, true)]
    [InlineData(257, true)]
    [InlineData(300, true)]
    public void LargePools_GiveTheReferenceNullStatistics_OnEitherSideOfTheIndexThresholds(int m, bool indices)
    {
        // Index columns from 128 candidates on: bytes up to 256, 16-bit indices above.
        Assert.Equal(indices, ColumnPaths.UsesIndices(m));
        Assert.Equal(m > 256, ColumnPaths.NeedsWideIndices(m));
        var step = Step(TestData.Hash($"large-{m}"), m, 37, groups: null);
        AssertSameAsReference(step, m, 37, rounds: 9, firstRound: 1);
    }

    [Fact]
    public void BytePaths_RefuseAPoolAByteCannotIndex()
    {
        // Forced onto byte indices, 257 candidates would wrap index 256 to 0 and give wrong sums without a word;
        // both byte paths refuse instead, and the 16-bit ones run.
        var step = Step(35, 257, 40, [.. Enumerable.Range(0, 40).Select(t => t / 4)]);
        foreach (var kernel in FastKernels)
        {
            foreach (var columns in new[] { ColumnKind.Indices, ColumnKind.GroupPermutations })
            {
                var error = Assert.Throws<InvalidOperationException>(() => FastSums(kernel, step, 1, 0, 0, 3, columns));
                Assert.Contains("at most 256 candidates, not 257", error.Message, StringComparison.Ordinal);
            }

            _ = FastSums(kernel, step, 1, 0, 0, 3, ColumnKind.WideIndices);
            _ = FastSums(kernel, step, 1, 0, 0, 3, ColumnKind.WideGroupPermutations);
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(33)]
    [InlineData(70)]
    public void IndexColumns_WithPromptGroups_GiveTheReferenceSums(int m)
    {
        const int N = 203;
        int[] groups = [.. Enumerable.Range(0, N).Select(t => (t * 7919 % N) / 9)];
        var step = Step(TestData.Hash($"index-groups-{m}"), m, N, groups);
        (double[] s1, double[] s2) = ReferenceSums(step, seed: 3, stepIndex: 0, firstRound: 0, rounds: 11);
        foreach (var columns in new[] { ColumnKind.Indices, ColumnKind.WideIndices })
        {
            foreach (var kernel in FastKernels)
            {
                (double[] f1, double[] f2) = FastSums(kernel, step, 3, 0, 0, 11, columns);
                Assert.True(Bits(s1).SequenceEqual(Bits(f1)) && Bits(s2).SequenceEqual(Bits(f2)), $"{kernel.Name}, {columns} with groups, m = {m}");
            }
        }
    }

    [Fact]
    public void FastKernels_HandleOneGroupAndTwoCandidates()
    {
        var one = Step(11, 4, 99, [.. Enumerable.Repeat(5, 99)]);
        AssertSameAsReference(one, 4, 99, rounds: 9, firstRound: 1);
        var pairs = Step(12, 2, 1001, null);
        AssertSameAsReference(pairs, 2, 1001, rounds: 17, firstRound: 100);
    }

    [Fact]
    public void LaneWords_VectorGenerators_DrawWhatTheScalarGeneratorDraws_RedrawsIncluded()
    {
        // Products near 2^63 make Lemire's rejection likely (about one word in two), so the vector
        // paths' partial redraws (only the rejecting lanes advance) run many times.
        ulong[] products = [(1UL << 63) + 1, 3, (1UL << 62) + 5, 1UL << 40];
        ulong[] thresholds = [.. products.Select(p => (0 - p) % p)];
        const int Prompts = 37, Block = 40, Lanes = ProvenanceSet.Kernels.Lanes.Count;
        bool[] starts = [.. Enumerable.Range(0, Prompts).Select(p => p % 5 != 3)];
        var rng = new Xoshiro256StarStar(TestData.Hash($"lane-words-{Lanes}"));
        var state = new ulong[4 * Lanes];
        for (int i = 0; i < state.Length; i++)
        {
            state[i] = rng.NextUInt64();
        }

        var expectedState = (ulong[])state.Clone();
        var expectedPending = new ulong[products.Length * Lanes];
        var expectedWords = new ulong[products.Length * Block * Lanes];
        ScalarLaneWords(expectedState, expectedPending, starts, Block, products, thresholds, expectedWords);
        // The generators of a pass in chunks of the width's lanes: s0 of the chunk's lanes, then s1, s2, s3.
        static int At(int lane, int word, int width) => (lane / width * 4 * width) + (word * width) + (lane % width);
        var variants = new List<(string Name, int Width, Action<ulong[], ulong[], ulong[]> Draw)>
        {
            ("vector", VectorStreams.Width, (st, pe, wo) => LaneWords.Draw<VectorStreams>(st, pe, starts, Block, products, thresholds, wo)),
            ("scalar", ScalarStream.Width, (st, pe, wo) => LaneWords.Draw<ScalarStream>(st, pe, starts, Block, products, thresholds, wo)),
            ("automatic", LaneWords.Width, (st, pe, wo) => LaneWords.Draw(st, pe, starts, Block, products, thresholds, wo)),
        };
        foreach (var (name, width, draw) in variants)
        {
            var chunked = new ulong[state.Length];
            for (int lane = 0; lane < Lanes; lane++)
            {
                for (int word = 0; word < 4; word++)
                {
                    chunked[At(lane, word, width)] = state[(word * Lanes) + lane];
                }
            }

            var actualPending = new ulong[expectedPending.Length];
            var actualWords = new ulong[expectedWords.Length];
            draw(chunked, actualPending, actualWords);
            Assert.True(expectedWords.SequenceEqual(actualWords), $"{name}: words differ");
            for (int lane = 0; lane < Lanes; lane++)
            {
                for (int word = 0; word < 4; word++)
                {
                    Assert.True(expectedState[(word * Lanes) + lane] == chunked[At(lane, word, width)], $"{name}: generator states differ");
                }
            }

            Assert.True(expectedPending.SequenceEqual(actualPending), $"{name}: pending words differ");
        }
    }

    [Fact]
    public void ObservedSums_StreamedOrMaterialised_AreTheSameBits()
    {
        foreach ((int m, int n, int[]? groups) in new[] { (5, 333, (int[]?)null), (40, 77, [.. Enumerable.Range(0, 77).Select(t => t % 6)]) })
        {
            var step = Step((ulong)(m + n), m, n, groups);
            var a1 = new double[m];
            var a2 = new double[m];
            var b1 = new double[m];
            var b2 = new double[m];
            step.ObservedSums(a1, a2);
            ReferenceObservedSums(step, b1, b2);
            Assert.Equal(Bits(b1), Bits(a1));
            Assert.Equal(Bits(b2), Bits(a2));
        }
    }

    [Fact]
    public void IdentityTargets_ReproduceTheObservedSums_InEveryLaneWidth()
    {
        // The observed statistic is the identity relabelling: pushed through a lane kernel's Fisher–Yates
        // steps (every swap target k_j = j) it must give the observed sums bit for bit.
        var step = Step(21, 23, 61, null);
        var expected1 = new double[23];
        var expected2 = new double[23];
        step.ObservedSums(expected1, expected2);
        AssertIdentity<ScalarLanes>(step, expected1, expected2);
        AssertIdentity<VectorLanes>(step, expected1, expected2);
    }

    [Fact]
    public void EveryKernelOption_GivesTheSameResult()
    {
        var matrix = TestData.Matrix(31, 13, 257, i => i is 2 or 9 ? -0.25 : 0);
        var options = ProvenanceOptions.Default with { Permutations = 203, FullPath = true, Seed = 5 };
        var reference = ModelProvenanceSet.Compute(matrix, options with { Kernel = KernelChoice.Reference });
        foreach (KernelChoice kernel in Enum.GetValues<KernelChoice>())
        {
            var other = ModelProvenanceSet.Compute(matrix, options with { Kernel = kernel });
            Assert.Equal(reference.Steps.Count, other.Steps.Count);
            for (int s = 0; s < reference.Steps.Count; s++)
            {
                Assert.Equal(Bits(reference.Steps[s].NullStatistics), Bits(other.Steps[s].NullStatistics));
                Assert.Equal(reference.Steps[s].PValue, other.Steps[s].PValue);
                Assert.Equal(BitConverter.DoubleToInt64Bits(reference.Steps[s].Statistic), BitConverter.DoubleToInt64Bits(other.Steps[s].Statistic));
            }
        }
    }

    [Fact]
    public void GoldenNullStatistics_AreTheSameOnEveryInstructionSet()
    {
        // .ci/test runs this natively, without AVX-512 and without hardware intrinsics: the same bits
        // every time, from the reference and from whichever kernel is automatic there.
        var step = Step(TestData.Hash("golden"), 13, 101, [.. Enumerable.Range(0, 101).Select(t => t / 4)]);
        foreach (var kernel in new[] { ScalarReferenceKernel.Instance, KernelSelection.Resolve(KernelChoice.Auto) })
        {
            var nulls = new double[64];
            kernel.RunRounds(step, new RoundStream(2026, 3, 17), nulls);
            ulong hash = 14695981039346656037UL;
            foreach (double value in nulls)
            {
                hash = (hash ^ (ulong)BitConverter.DoubleToInt64Bits(value)) * 1099511628211UL;
            }

            Assert.Equal(GoldenHash, hash);
        }
    }

    [Fact]
    public void Auto_IsTheVectorKernel_WhereTheCpuAccelerates256BitVectors()
    {
        string expected = System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "vector" : "scalar";
        Assert.Equal(expected, KernelSelection.Resolve(KernelChoice.Auto).Name);
    }

    [Fact]
    public void InstructionSetSwitches_AreHonoured()
    {
        // .ci/test runs this project with DOTNET_EnableAVX512=0 and with DOTNET_EnableHWIntrinsic=0: this
        // checks that those runs really take the narrower paths.
        string? avx512 = Environment.GetEnvironmentVariable("DOTNET_EnableAVX512");
        string? intrinsics = Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic");
        if (intrinsics == "0")
        {
            Assert.False(System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated);
            Assert.False(System.Numerics.Vector.IsHardwareAccelerated);
            Assert.Equal("scalar", KernelSelection.Resolve(KernelChoice.Auto).Name);
        }

        if (avx512 == "0" || intrinsics == "0")
        {
            // The only switch of the 512-bit paths (the swap targets; the lanes' sums and generators are 256 bits at most).
            Assert.False(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated);
        }
    }

    /// <summary>
    /// <see cref="SwapTargetPlan"/> against <see cref="ShufflePlan"/> on the same stream: the same number of words consumed
    /// (redraws included), draw after draw; then the swap targets of all the draws side by side, position by position, as
    /// the fast kernels compute them (<see cref="SwapTargetOperator.Apply"/>, vectors and scalar tail).
    /// </summary>
    private static void AssertSwapTargetsMatchShufflePlan(int m, ulong seed, int draws)
    {
        var plan = new ShufflePlan(m);
        var targets = new SwapTargetPlan(plan);
        var rng = new Xoshiro256StarStar(seed);
        var expected = new int[draws][];
        var words = new ulong[targets.WordCount * draws];
        for (int draw = 0; draw < draws; draw++)
        {
            var copy = rng;
            expected[draw] = new int[m];
            plan.DrawSwapTargets(ref rng, expected[draw]);
            for (int w = 0; w < targets.WordCount; w++)
            {
                ulong word;
                do
                {
                    word = copy.NextUInt64();
                }
                while (word * targets.Products[w] < targets.Thresholds[w]);

                words[(w * draws) + draw] = word;
            }

            Assert.Equal(rng.NextUInt64(), copy.NextUInt64()); // the same number of words consumed, redraws included
        }

        var actual = new ulong[draws];
        var chain = new ulong[draws];
        for (int d = 0; d < m - 1; d++)
        {
            ReadOnlySpan<ulong> from = targets.StartsWord(d) ? words.AsSpan(targets.WordOf(d) * draws, draws) : chain;
            SwapTargetOperator.Apply(from, targets.Bound(d), actual, chain);
            for (int draw = 0; draw < draws; draw++)
            {
                Assert.Equal(expected[draw][m - 1 - d], (int)(actual[draw] >> 32));
            }
        }
    }

    /// <summary>
    /// T* of every fast kernel equal to the reference's, bit for bit; and the per-position sums behind them too (T* is
    /// a minimum, which a wrong value at another position can leave unchanged).
    /// </summary>
    private static void AssertSameAsReference(StepData step, int m, int n, int rounds, long firstRound)
    {
        var expected = new double[rounds];
        ScalarReferenceKernel.Instance.RunRounds(step, new RoundStream(99, 1, firstRound), expected);
        (double[] s1, double[] s2) = ReferenceSums(step, 99, 1, firstRound, rounds);
        foreach (var kernel in FastKernels)
        {
            var actual = new double[rounds];
            kernel.RunRounds(step, new RoundStream(99, 1, firstRound), actual);
            Assert.True(Bits(expected).SequenceEqual(Bits(actual)), $"{kernel.Name}, m = {m}, N = {n}: T* differ");
            (double[] f1, double[] f2) = FastSums(kernel, step, 99, 1, firstRound, rounds);
            Assert.True(Bits(s1).SequenceEqual(Bits(f1)) && Bits(s2).SequenceEqual(Bits(f2)), $"{kernel.Name}, m = {m}, N = {n}: sums differ");
        }
    }

    private static void AssertIdentity<TLanes>(StepData step, double[] expected1, double[] expected2)
        where TLanes : struct, ILaneSums<TLanes>
    {
        int m = step.ActiveCount, n = step.PromptCount, lanes = Lanes.Count;
        var source = new double[n * m];
        step.FillBlock(0, n, source);
        int laneStride = (n * m) + 8;
        var x = new double[lanes * laneStride];
        for (int lane = 0; lane < lanes; lane++)
        {
            source.CopyTo(x.AsSpan(lane * laneStride));
        }

        var s1 = new double[m * lanes];
        var s2 = new double[m * lanes];
        var targets = new ulong[n * lanes];
        for (int j = m - 1; j >= 0; j--)
        {
            Array.Fill(targets, (ulong)j << 32); // the swap target sits in the upper 32 bits
            var values = new SwapValues<double>(ref x[0], laneStride, ref source[0], ref targets[0], m, j);
            Lanes.Add<TLanes, SwapValues<double>>(values, n, ref s1[j * lanes], ref s2[j * lanes]);
        }

        for (int lane = 0; lane < lanes; lane++)
        {
            for (int k = 0; k < m; k++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected1[k]), BitConverter.DoubleToInt64Bits(s1[(k * lanes) + lane]));
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected2[k]), BitConverter.DoubleToInt64Bits(s2[(k * lanes) + lane]));
            }
        }
    }

    /// <summary>The observed sums through the oracle's accumulation: every group relabelled by the identity.</summary>
    private static void ReferenceObservedSums(StepData step, Span<double> s1, Span<double> s2)
    {
        int[] identity = [.. Enumerable.Range(0, step.ActiveCount)];
        s1.Clear();
        s2.Clear();
        for (int g = 0; g < step.GroupCount; g++)
        {
            ScalarReferenceKernel.AccumulateGroup(step, g, identity, s1, s2);
        }
    }

    /// <summary>
    /// The lanes' words drawn lane by lane with the scalar generator, as <see cref="ShufflePlan.DrawSwapTargets"/> consumes each
    /// stream (the layouts of <see cref="LaneWords"/>): the oracle of its vector generators.
    /// </summary>
    private static void ScalarLaneWords(ulong[] state, ulong[] pending, bool[] starts, int block, ulong[] products, ulong[] thresholds, ulong[] blockWords)
    {
        int lanes = Lanes.Count;
        for (int lane = 0; lane < lanes; lane++)
        {
            var rng = new Xoshiro256StarStar(state[lane], state[lanes + lane], state[(2 * lanes) + lane], state[(3 * lanes) + lane]);
            for (int p = 0; p < starts.Length; p++)
            {
                for (int b = 0; starts[p] && b < products.Length; b++)
                {
                    ulong word;
                    do
                    {
                        word = rng.NextUInt64();
                    }
                    while (word * products[b] < thresholds[b]);

                    pending[(b * lanes) + lane] = word;
                }

                for (int b = 0; b < products.Length; b++)
                {
                    blockWords[(((b * block) + p) * lanes) + lane] = pending[(b * lanes) + lane];
                }
            }

            rng.GetState(out state[lane], out state[lanes + lane], out state[(2 * lanes) + lane], out state[(3 * lanes) + lane]);
        }
    }

    /// <summary>The oracle's sums: per round, one <see cref="ShufflePlan"/> permutation per group, <see cref="ScalarReferenceKernel.AccumulateGroup"/>.</summary>
    private static (double[] S1, double[] S2) ReferenceSums(StepData step, ulong seed, int stepIndex, long firstRound, int rounds)
    {
        int m = step.ActiveCount;
        var plan = new ShufflePlan(m);
        var permutation = new int[m];
        var swaps = new int[m];
        var s1 = new double[rounds * m];
        var s2 = new double[rounds * m];
        for (int r = 0; r < rounds; r++)
        {
            var rng = new RoundStream(seed, stepIndex, firstRound).Round(r);
            for (int g = 0; g < step.GroupCount; g++)
            {
                plan.DrawPermutation(ref rng, permutation, swaps);
                ScalarReferenceKernel.AccumulateGroup(step, g, permutation, s1.AsSpan(r * m, m), s2.AsSpan(r * m, m));
            }
        }

        return (s1, s2);
    }

    /// <summary>A fast kernel's per-position sums on a column path (the automatic one by default): S1 of round i at <c>[i·m + k]</c>.</summary>
    private static (double[] S1, double[] S2) FastSums(IPermutationKernel kernel, StepData step, ulong seed, int stepIndex, long firstRound, int rounds, ColumnKind? columns = null)
    {
        int m = step.ActiveCount;
        var s1 = new double[rounds * m];
        var s2 = new double[rounds * m];
        var stream = new RoundStream(seed, stepIndex, firstRound);
        ColumnKind path = columns ?? ColumnPaths.For(step);
        using var scratch = ColumnPaths.Scratch(step, path, rounds);
        switch (kernel)
        {
            case LanesKernel<ScalarLanes>:
                LanesKernel<ScalarLanes>.Accumulate(step, stream, path, scratch);
                break;
            case LanesKernel<VectorLanes>:
                LanesKernel<VectorLanes>.Accumulate(step, stream, path, scratch);
                break;
            default:
                throw new InvalidOperationException(kernel.Name);
        }

        // The sums of round i (pass i / 8, lane i % 8) at position k: Sums1[(pass·m + k)·8 + lane].
        for (int i = 0; i < rounds; i++)
        {
            for (int k = 0; k < m; k++)
            {
                int at = (((i / Lanes.Count * m) + k) * Lanes.Count) + (i % Lanes.Count);
                s1[(i * m) + k] = scratch.Sums1[at];
                s2[(i * m) + k] = scratch.Sums2[at];
            }
        }

        return (s1, s2);
    }

    private static StepData Step(ulong seed, int m, int n, int[]? groups)
    {
        // Distances with a per-prompt offset and a few exact ties, centred by the procedure's own BuildStep.
        var values = TestData.Gaussian(seed, m, n, i => 0.1 * (i % 3));
        for (int t = 0; t < n; t += 7)
        {
            values[m - 1, t] = values[0, t];
        }

        var prepared = PreparedMatrix.Create(new DistanceMatrix(values), groups);
        return prepared.BuildStep([.. Enumerable.Range(0, m)]);
    }

    /// <summary>Group labels for n prompts: runs of 1..maxSize prompts, the labels interleaved in input order.</summary>
    private static int[] GroupLabels(ulong seed, int n, int maxSize)
    {
        var rng = new Xoshiro256StarStar(seed);
        var groups = new int[n];
        int label = 0, left = 0;
        for (int t = 0; t < n; t++)
        {
            if (left == 0)
            {
                label++;
                left = 1 + (int)rng.NextBounded((ulong)maxSize);
            }

            groups[t] = label;
            left--;
        }

        return [.. groups.Select(g => (g, key: rng.NextUInt64())).OrderBy(x => x.key).Select(x => x.g)];
    }

    private static long[] Bits(double[] values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];

    private static long[] Bits(IReadOnlyList<double> values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];
}
