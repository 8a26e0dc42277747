using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ProvenanceSet.Benchmarks;

/// <summary>
/// <c>--clock</c>: the core's clock as the kernels see it, so that ns per cell can be read as cycles per cell.
/// Two dependent chains whose latency is known: <c>imul</c> then <c>xor</c> (3 + 1 cycles per iteration) and
/// <c>ror</c> then <c>xor</c> (1 + 1). Each iteration waits for the one before, so iterations per second times
/// cycles per iteration is cycles per second, whatever the CPU reports as its frequency (a virtual machine's
/// nominal 2.1 GHz says nothing about the clock it runs at). Five runs of each, one thread:
/// <c>clock chain=&lt;name&gt; &lt;number&gt; cycles/s</c>.
/// </summary>
internal static class ClockBenchmark
{
    private const int Iterations = 100_000_000;

    public static int Run(TextWriter output)
    {
        for (int run = 0; run < 5; run++)
        {
            Report(output, "imul+xor", 4, () => MultiplyChain(3, 0x9E37_79B9_7F4A_7C15UL, Iterations));
            Report(output, "ror+xor", 2, () => RotateChain(3, Iterations));
        }

        return 0;
    }

    private static void Report(TextWriter output, string name, int cyclesPerIteration, Func<ulong> chain)
    {
        var clock = Stopwatch.StartNew();
        ulong result = chain();
        double seconds = clock.Elapsed.TotalSeconds;
        // The result is printed so that the chain cannot be dropped as dead code.
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"clock chain={name} {(double)Iterations * cyclesPerIteration / seconds:F0} cycles/s (check {result & 1})"));
    }

    // imul r64 (3 cycles) then xor (1): the counter keeps the JIT from folding two multiplies into one.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static ulong MultiplyChain(ulong value, ulong factor, int iterations)
    {
        for (int i = 0; i < iterations; i++)
        {
            value = (value * factor) ^ (uint)i;
        }

        return value;
    }

    // ror r64 (1 cycle) then xor (1).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static ulong RotateChain(ulong value, int iterations)
    {
        for (int i = 0; i < iterations; i++)
        {
            value = BitOperations.RotateRight(value, 1) ^ (uint)i;
        }

        return value;
    }
}
