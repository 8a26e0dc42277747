using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ProvenanceSet.Kernels;

/// <summary>
/// The swap-target operator of <see cref="SwapTargetPlan"/>: <c>high(x · bound)</c> with x = (word·prefix) mod 2⁶⁴ and a
/// bound below 2³², and x·bound mod 2⁶⁴, the next position's x on the same word.
/// </summary>
/// <remarks>
/// With x = x_hi·2³² + x_lo, A = x_hi·n and B = x_lo·n (both below 2⁶⁴ for n &lt; 2³²): <c>high(x·n) = (A + (B &gt;&gt; 32)) &gt;&gt; 32</c>
/// (no overflow) and <c>x·n mod 2⁶⁴ = B + (A &lt;&lt; 32)</c>. So one swap target costs two 32×32→64-bit products, the same
/// integers at every width: <c>vpmuludq</c> where the CPU has it, the portable 64-bit lane product otherwise.
/// </remarks>
internal static class SwapTargetOperator
{
    private const ulong LowMask = 0xFFFF_FFFFUL;

    /// <summary>A + (B &gt;&gt; 32), whose upper 32 bits are the swap target (read from there, which saves a shift), and x·n mod 2⁶⁴.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Invoke(ulong x, ulong bound, out ulong next)
    {
        ulong high = (x >> 32) * bound, low = (x & LowMask) * bound;
        next = low + (high << 32);
        return high + (low >> 32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<ulong> Invoke(Vector<ulong> x, Vector<ulong> bound, out Vector<ulong> next)
    {
        Vector<ulong> high = MultiplyLow(x >>> 32, bound), low = MultiplyLow(x, bound);
        next = low + (high << 32);
        return high + (low >>> 32);
    }

    /// <summary>In 512-bit vectors where the CPU has them (<see cref="Vector{T}"/> stays at 256 bits there): 8 % of the kernel at m = 50.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Invoke(Vector512<ulong> x, Vector512<ulong> bound, out Vector512<ulong> next)
    {
        Vector512<ulong> high = Avx512F.Multiply((x >>> 32).AsUInt32(), bound.AsUInt32()), low = Avx512F.Multiply(x.AsUInt32(), bound.AsUInt32());
        next = low + (high << 32);
        return high + (low >>> 32);
    }

    /// <summary>
    /// One permutation position for many permutations at once: <c>targets[i]</c> holds high(x[i]·bound) in its upper 32 bits
    /// and <c>next[i] = x[i]·bound mod 2⁶⁴</c>. The widest vectors while they fill, then a scalar tail (TensorPrimitives'
    /// driver shape). <paramref name="next"/> may be <paramref name="x"/> itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from its first calls: no time in unoptimised code
    public static void Apply(ReadOnlySpan<ulong> x, ulong bound, Span<ulong> targets, Span<ulong> next)
    {
        ref ulong source = ref MemoryMarshal.GetReference(x);
        ref ulong destination = ref MemoryMarshal.GetReference(targets);
        ref ulong following = ref MemoryMarshal.GetReference(next);
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            var n = Vector512.Create(bound);
            for (; i <= x.Length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                Invoke(Vector512.LoadUnsafe(ref source, (nuint)i), n, out Vector512<ulong> chain).StoreUnsafe(ref destination, (nuint)i);
                chain.StoreUnsafe(ref following, (nuint)i);
            }
        }

        if (Vector.IsHardwareAccelerated)
        {
            var n = new Vector<ulong>(bound);
            for (; i <= x.Length - Vector<ulong>.Count; i += Vector<ulong>.Count)
            {
                Invoke(Vector.LoadUnsafe(ref source, (nuint)i), n, out Vector<ulong> chain).StoreUnsafe(ref destination, (nuint)i);
                chain.StoreUnsafe(ref following, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            Unsafe.Add(ref destination, i) = Invoke(Unsafe.Add(ref source, i), bound, out Unsafe.Add(ref following, i));
        }
    }

    // The lanes' 32×32→64-bit products of their lower halves.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<ulong> MultiplyLow(Vector<ulong> a, Vector<ulong> b) =>
        Vector<byte>.Count == 32 && Avx2.IsSupported ? Avx2.Multiply(a.AsVector256().AsUInt32(), b.AsVector256().AsUInt32()).AsVector()
        : Vector<byte>.Count == 16 && Sse2.IsSupported ? Sse2.Multiply(a.AsVector128().AsUInt32(), b.AsVector128().AsUInt32()).AsVector()
        : (a & new Vector<ulong>(LowMask)) * (b & new Vector<ulong>(LowMask));
}

/// <summary>
/// The accumulation operator: <c>s1 += y; s2 += y·y</c>, lane by lane. A vector lane performs the same IEEE additions and
/// multiplication as the scalar path (no fused multiply-add), so every width gives the bits of <see cref="ScalarReferenceKernel"/>.
/// </summary>
internal static class SumAndSquareOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Invoke(ref double s1, ref double s2, double y)
    {
        s1 += y;
        s2 += y * y;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Invoke(ref Vector256<double> s1, ref Vector256<double> s2, Vector256<double> y)
    {
        s1 += y;
        s2 += y * y;
    }
}
