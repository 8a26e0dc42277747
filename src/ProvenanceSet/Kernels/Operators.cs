using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ProvenanceSet.Kernels;

/// <summary>
/// The swap-target operator of <see cref="SwapTargetPlan"/> at every width:
/// <c>high(((word·prefix) mod 2⁶⁴) · bound)</c> for a bound below 2³².
/// </summary>
/// <remarks>
/// With x = x_hi·2³² + x_lo, A = x_hi·n and B = x_lo·n (both below 2⁶⁴ for n &lt; 2³²):
/// <c>high(x·n) = (A + (B &gt;&gt; 32)) &gt;&gt; 32</c> (no overflow) and <c>x·n mod 2⁶⁴ = B + (A &lt;&lt; 32)</c>, which
/// is the next draw's x in the same batch. So one draw costs two 32×32→64-bit products, the same
/// integers at every width. They use <c>vpmuludq</c> where the CPU has it (one instruction) and the
/// portable 64-bit lane product otherwise; both give the same bits.
/// </remarks>
internal readonly struct SwapTargetOperator
{
    private const ulong LowMask = 0xFFFF_FFFFUL;

    /// <summary>high(x·n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Invoke(ulong x, ulong bound) => Invoke(x, bound, out _) >> 32;

    /// <summary>
    /// A + (B &gt;&gt; 32), whose upper 32 bits are high(x·n) (the kernels read the swap target straight from
    /// them, which saves a shift), and in <paramref name="next"/> x·n mod 2⁶⁴, the next draw's x in the same batch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Invoke(ulong x, ulong bound, out ulong next)
    {
        ulong high = (x >> 32) * bound, low = (x & LowMask) * bound;
        next = low + (high << 32);
        return high + (low >> 32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> Invoke(Vector128<ulong> x, Vector128<ulong> bound, out Vector128<ulong> next)
    {
        Vector128<ulong> high, low;
        if (Sse2.IsSupported)
        {
            // vpshufd moves each lane's upper half down (one shuffle instead of a shift); vpmuludq reads the lower halves.
            high = Sse2.Multiply(Sse2.Shuffle(x.AsUInt32(), 0b10_11_00_01), bound.AsUInt32());
            low = Sse2.Multiply(x.AsUInt32(), bound.AsUInt32());
        }
        else
        {
            high = (x >>> 32) * bound;
            low = (x & Vector128.Create(LowMask)) * bound;
        }

        next = low + (high << 32);
        return high + (low >>> 32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Invoke(Vector256<ulong> x, Vector256<ulong> bound, out Vector256<ulong> next)
    {
        Vector256<ulong> high, low;
        if (Avx2.IsSupported)
        {
            // vpshufd moves each lane's upper half down (one shuffle instead of a shift); vpmuludq reads the lower halves.
            high = Avx2.Multiply(Avx2.Shuffle(x.AsUInt32(), 0b10_11_00_01), bound.AsUInt32());
            low = Avx2.Multiply(x.AsUInt32(), bound.AsUInt32());
        }
        else
        {
            high = (x >>> 32) * bound;
            low = (x & Vector256.Create(LowMask)) * bound;
        }

        next = low + (high << 32);
        return high + (low >>> 32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Invoke(Vector512<ulong> x, Vector512<ulong> bound, out Vector512<ulong> next)
    {
        Vector512<ulong> high, low;
        if (Avx512F.IsSupported)
        {
            // vpshufd moves each lane's upper half down (one shuffle instead of a shift); vpmuludq reads the lower halves.
            high = Avx512F.Multiply(Avx512F.Shuffle(x.AsUInt32(), 0b10_11_00_01), bound.AsUInt32());
            low = Avx512F.Multiply(x.AsUInt32(), bound.AsUInt32());
        }
        else
        {
            high = (x >>> 32) * bound;
            low = (x & Vector512.Create(LowMask)) * bound;
        }

        next = low + (high << 32);
        return high + (low >>> 32);
    }

    /// <summary>
    /// One draw for many permutations at once: <c>targets[i]</c> holds high(x[i]·bound) in its upper 32 bits and
    /// <c>next[i] = x[i]·bound mod 2⁶⁴</c> (x is the word times the bounds before it in its batch).
    /// The widest path the lanes allow first, then narrower vectors, then a scalar tail
    /// (TensorPrimitives' driver shape). <paramref name="next"/> may be <paramref name="x"/> itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Apply<TLanes>(ReadOnlySpan<ulong> x, ulong bound, Span<ulong> targets, Span<ulong> next)
        where TLanes : struct, IRoundLanes
    {
        ref ulong src = ref MemoryMarshal.GetReference(x);
        ref ulong dst = ref MemoryMarshal.GetReference(targets);
        ref ulong nxt = ref MemoryMarshal.GetReference(next);
        int length = x.Length, i = 0;
        if (TLanes.VectorBits >= 512)
        {
            Vector512<ulong> n = Vector512.Create(bound);
            for (; i <= length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                Invoke(Vector512.LoadUnsafe(ref src, (nuint)i), n, out Vector512<ulong> following).StoreUnsafe(ref dst, (nuint)i);
                following.StoreUnsafe(ref nxt, (nuint)i);
            }
        }

        if (TLanes.VectorBits >= 256)
        {
            Vector256<ulong> n = Vector256.Create(bound);
            for (; i <= length - Vector256<ulong>.Count; i += Vector256<ulong>.Count)
            {
                Invoke(Vector256.LoadUnsafe(ref src, (nuint)i), n, out Vector256<ulong> following).StoreUnsafe(ref dst, (nuint)i);
                following.StoreUnsafe(ref nxt, (nuint)i);
            }
        }

        if (TLanes.VectorBits >= 128)
        {
            Vector128<ulong> n = Vector128.Create(bound);
            for (; i <= length - Vector128<ulong>.Count; i += Vector128<ulong>.Count)
            {
                Invoke(Vector128.LoadUnsafe(ref src, (nuint)i), n, out Vector128<ulong> following).StoreUnsafe(ref dst, (nuint)i);
                following.StoreUnsafe(ref nxt, (nuint)i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref dst, i) = Invoke(Unsafe.Add(ref src, i), bound, out Unsafe.Add(ref nxt, i));
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
