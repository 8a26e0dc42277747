using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ModelProvenance.Kernels;

/// <summary>
/// The swap-target operator of <see cref="SwapTargetPlan"/> at every width:
/// <c>high(((word·prefix) mod 2⁶⁴) · bound)</c> for a bound below 2³².
/// </summary>
/// <remarks>
/// With x = x_hi·2³² + x_lo, <c>high(x·n) = (x_hi·n + ((x_lo·n) &gt;&gt; 32)) &gt;&gt; 32</c>: both products are
/// below 2⁶⁴ and so is their sum, so every width computes the same integer with 64-bit lanes. The
/// 32×32→64-bit products use <c>vpmuludq</c> where the CPU has it (a single instruction) and the
/// portable 64-bit lane product otherwise; both give the same bits.
/// </remarks>
internal readonly struct SwapTargetOperator
{
    private const ulong LowMask = 0xFFFF_FFFFUL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Invoke(ulong x, ulong bound) => (((x >> 32) * bound) + (((x & LowMask) * bound) >> 32)) >> 32;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> Invoke(Vector128<ulong> x, Vector128<ulong> bound)
    {
        if (Sse2.IsSupported)
        {
            Vector128<uint> n = bound.AsUInt32();
            return (Sse2.Multiply((x >>> 32).AsUInt32(), n) + (Sse2.Multiply(x.AsUInt32(), n) >>> 32)) >>> 32;
        }

        return (((x >>> 32) * bound) + (((x & Vector128.Create(LowMask)) * bound) >>> 32)) >>> 32;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Invoke(Vector256<ulong> x, Vector256<ulong> bound)
    {
        if (Avx2.IsSupported)
        {
            Vector256<uint> n = bound.AsUInt32();
            return (Avx2.Multiply((x >>> 32).AsUInt32(), n) + (Avx2.Multiply(x.AsUInt32(), n) >>> 32)) >>> 32;
        }

        return (((x >>> 32) * bound) + (((x & Vector256.Create(LowMask)) * bound) >>> 32)) >>> 32;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Invoke(Vector512<ulong> x, Vector512<ulong> bound)
    {
        if (Avx512F.IsSupported)
        {
            Vector512<uint> n = bound.AsUInt32();
            return (Avx512F.Multiply((x >>> 32).AsUInt32(), n) + (Avx512F.Multiply(x.AsUInt32(), n) >>> 32)) >>> 32;
        }

        return (((x >>> 32) * bound) + (((x & Vector512.Create(LowMask)) * bound) >>> 32)) >>> 32;
    }

    /// <summary>
    /// <c>destination[i] = high(((words[i]·prefix) mod 2⁶⁴)·bound)</c>: the widest path the lanes allow
    /// first, then narrower vectors, then a scalar tail (TensorPrimitives' driver shape).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Apply<TLanes>(ReadOnlySpan<ulong> words, ulong prefix, ulong bound, Span<ulong> destination)
        where TLanes : struct, IRoundLanes
    {
        ref ulong w = ref MemoryMarshal.GetReference(words);
        ref ulong dst = ref MemoryMarshal.GetReference(destination);
        int length = words.Length, i = 0;
        if (TLanes.VectorBits >= 512)
        {
            Vector512<ulong> q = Vector512.Create(prefix), n = Vector512.Create(bound);
            for (; i <= length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                Invoke(Vector512.LoadUnsafe(ref w, (nuint)i) * q, n).StoreUnsafe(ref dst, (nuint)i);
            }
        }

        if (TLanes.VectorBits >= 256)
        {
            Vector256<ulong> q = Vector256.Create(prefix), n = Vector256.Create(bound);
            for (; i <= length - Vector256<ulong>.Count; i += Vector256<ulong>.Count)
            {
                Invoke(Vector256.LoadUnsafe(ref w, (nuint)i) * q, n).StoreUnsafe(ref dst, (nuint)i);
            }
        }

        if (TLanes.VectorBits >= 128)
        {
            Vector128<ulong> q = Vector128.Create(prefix), n = Vector128.Create(bound);
            for (; i <= length - Vector128<ulong>.Count; i += Vector128<ulong>.Count)
            {
                Invoke(Vector128.LoadUnsafe(ref w, (nuint)i) * q, n).StoreUnsafe(ref dst, (nuint)i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref dst, i) = Invoke(Unsafe.Add(ref w, i) * prefix, bound);
        }
    }
}

/// <summary>
/// The accumulation operator at every width: <c>s1 += y; s2 += y·y</c>, lane by lane. A vector lane
/// performs the same IEEE additions and multiplication as the scalar path (no fused multiply-add),
/// so every width gives the same bits as <see cref="ScalarReferenceKernel"/>.
/// </summary>
internal readonly struct SumAndSquareOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Invoke(ref double s1, ref double s2, double y)
    {
        s1 += y;
        s2 += y * y;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Invoke(ref Vector128<double> s1, ref Vector128<double> s2, Vector128<double> y)
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Invoke(ref Vector512<double> s1, ref Vector512<double> s2, Vector512<double> y)
    {
        s1 += y;
        s2 += y * y;
    }
}
