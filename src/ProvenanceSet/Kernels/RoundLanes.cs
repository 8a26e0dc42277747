using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ProvenanceSet.Kernels;

/// <summary>
/// How many permutation rounds <see cref="LanesKernel{TLanes}"/> runs side by side, and the width
/// of the vectors that hold their sums. One implementation per width (scalar, 128, 256, 512 bits);
/// the driver is shared.
/// </summary>
/// <remarks>
/// The block of prompts is held once per lane (round): column (p, r) at <c>x[r·laneStride + p·m]</c>.
/// A step at position j takes, for every prompt p and lane r, y = x[k] with k the lane's swap
/// target, moves x[j] into slot k (Fisher–Yates, position j is final afterwards), and adds y and y²
/// to the lane's sums of position j. The lanes are independent rounds, so their Fisher–Yates steps
/// overlap in the CPU and their sums form one vector; every lane still adds its values over prompts
/// in stored order, exactly like <see cref="ScalarReferenceKernel"/>.
/// </remarks>
internal interface IRoundLanes
{
    /// <summary>Rounds side by side.</summary>
    static abstract int Count { get; }

    /// <summary>Widest vector the variant uses, in bits (0 for scalar).</summary>
    static abstract int VectorBits { get; }

    /// <summary>The variant's stable name.</summary>
    static abstract string Name { get; }

    /// <summary>Whether the CPU runs this width in hardware (otherwise it is emulated: correct, slow).</summary>
    static abstract bool IsHardwareAccelerated { get; }

    /// <summary>
    /// One Fisher–Yates step at position <paramref name="j"/> for prompts 0..<paramref name="prompts"/>−1
    /// and every lane; <paramref name="s1"/>/<paramref name="s2"/> point at the Count sums of position j.
    /// The lanes' columns hold values or indices into the block's values (<typeparamref name="TColumn"/>).
    /// </summary>
    static abstract void Step<T, TColumn>(ref T x, nint laneStride, ref double values, ref ulong targets, int prompts, int m, nint j, ref double s1, ref double s2)
        where T : unmanaged
        where TColumn : struct, IColumn<T>;

    /// <summary>Position 0 after every step: adds the value at x[0] and its square for every prompt and lane.</summary>
    static abstract void Last<T, TColumn>(ref T x, nint laneStride, ref double values, int prompts, int m, ref double s1, ref double s2)
        where T : unmanaged
        where TColumn : struct, IColumn<T>;

    /// <summary>
    /// Adds, for prompts 0..<paramref name="prompts"/>−1 of one group (values at <c>rows[p·m + i]</c>) and every lane,
    /// the value at index <c>columns[lane·laneStride + k]</c> to the lane's sums of position k
    /// (<c>s1[k·Count + lane]</c>), for every k: the group's permutation applied to each of its prompts.
    /// The indices are bytes up to 256 candidates and 16-bit above (<see cref="Lanes.Index{TIndex}(ref TIndex)"/>).
    /// </summary>
    static abstract void Gather<TIndex>(ref TIndex columns, nint laneStride, ref double rows, int prompts, int m, ref double s1, ref double s2)
        where TIndex : unmanaged;

    /// <summary>
    /// Draws every lane's words for a block (<see cref="LaneWords"/>): the lanes' generators side by side,
    /// each drawing exactly what <see cref="Randomness.ShufflePlan"/> draws from it.
    /// </summary>
    static abstract void DrawWords(Span<ulong> state, Span<ulong> pending, ReadOnlySpan<bool> starts, int prompts, int block,
        ReadOnlySpan<ulong> products, ReadOnlySpan<ulong> thresholds, Span<ulong> blockWords);
}

/// <summary>Shared pieces of the lane implementations.</summary>
internal static class Lanes
{
    /// <summary>
    /// Lane r's swap target: the upper 32 bits of targets[r] (<see cref="SwapTargetOperator.Apply{TLanes}"/>),
    /// read as a 32-bit load.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Target(ref ulong targets, int lane) =>
        Unsafe.Add(ref Unsafe.As<ulong, uint>(ref targets), (2 * lane) + (BitConverter.IsLittleEndian ? 1 : 0));

    /// <summary>An index column's entry: a byte (up to 256 candidates) or a 16-bit index (above).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nint Index<TIndex>(ref TIndex entry)
        where TIndex : unmanaged =>
        typeof(TIndex) == typeof(byte) ? Unsafe.As<TIndex, byte>(ref entry) : Unsafe.As<TIndex, ushort>(ref entry);

    /// <summary>The entry of lane <paramref name="lane"/> at the same position: <c>Index(column[lane·laneStride])</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nint Index<TIndex>(ref TIndex column, nint laneStride, int lane)
        where TIndex : unmanaged =>
        Index(ref Unsafe.Add(ref column, lane * laneStride));

    /// <summary>How many candidates an index column of <typeparamref name="TIndex"/> can address: 256 for bytes, 65 536 for 16-bit indices.</summary>
    public static int IndexReach<TIndex>()
        where TIndex : unmanaged =>
        typeof(TIndex) == typeof(byte) ? byte.MaxValue + 1 : ushort.MaxValue + 1;

    /// <summary>Writes an index column's entry (see <see cref="Index{TIndex}(ref TIndex)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetIndex<TIndex>(ref TIndex entry, int index)
        where TIndex : unmanaged
    {
        if (typeof(TIndex) == typeof(byte))
        {
            Unsafe.As<TIndex, byte>(ref entry) = (byte)index;
        }
        else
        {
            Unsafe.As<TIndex, ushort>(ref entry) = (ushort)index;
        }
    }

    /// <summary>y = column[k]; column[k] = column[j]; returns y (the value that ends at position j).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Take(ref double column, uint k, nint j)
    {
        ref double slot = ref Unsafe.Add(ref column, (nint)k);
        double y = slot;
        slot = Unsafe.Add(ref column, j);
        return y;
    }
}

/// <summary>
/// What a lane's column holds: the block's values themselves (<see cref="ValueColumn"/>), or indices into them
/// (<see cref="IndexColumn{TIndex}"/>: bytes up to 256 candidates, an eighth of the working set, 16-bit indices above,
/// a quarter; so more prompts fit in L1 at large m).
/// </summary>
internal interface IColumn<T>
    where T : unmanaged
{
    /// <summary>
    /// One Fisher–Yates step on a column: slot k takes slot j's entry, and the value that slot k held
    /// (the one that ends at position j) is returned; <paramref name="row"/> is the prompt's values.
    /// </summary>
    static abstract double Take(ref T column, ref double row, uint k, nint j);

    /// <summary>The value at the column's position 0.</summary>
    static abstract double Read(ref T column, ref double row);
}

/// <summary>Columns of values: y = x[k]; x[k] = x[j].</summary>
internal readonly struct ValueColumn : IColumn<double>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Take(ref double column, ref double row, uint k, nint j) => Lanes.Take(ref column, k, j);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Read(ref double column, ref double row) => column;
}

/// <summary>
/// Columns of indices into the prompt's values: i = x[k]; x[k] = x[j]; y = row[i]. Bytes up to 256 candidates (an
/// eighth of the working set of value columns), 16-bit indices above (a quarter).
/// </summary>
internal readonly struct IndexColumn<TIndex> : IColumn<TIndex>
    where TIndex : unmanaged
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Take(ref TIndex column, ref double row, uint k, nint j)
    {
        ref TIndex slot = ref Unsafe.Add(ref column, (nint)k);
        nint i = Lanes.Index(ref slot);
        slot = Unsafe.Add(ref column, j);
        return Unsafe.Add(ref row, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Read(ref TIndex column, ref double row) => Unsafe.Add(ref row, Lanes.Index(ref column));
}

/// <summary>Four rounds with scalar sums: the path used when hardware intrinsics are off.</summary>
internal readonly struct ScalarLanes : IRoundLanes
{
    public static int Count => 4;

    public static void DrawWords(Span<ulong> state, Span<ulong> pending, ReadOnlySpan<bool> starts, int prompts, int block,
        ReadOnlySpan<ulong> products, ReadOnlySpan<ulong> thresholds, Span<ulong> blockWords) =>
        LaneWords.Scalar(state, pending, starts, prompts, block, products, thresholds, blockWords, 4);

    public static int VectorBits => 0;

    public static string Name => "scalar";

    public static bool IsHardwareAccelerated => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Step<T, TColumn>(ref T x, nint laneStride, ref double values, ref ulong targets, int prompts, int m, nint j, ref double s1, ref double s2)
        where T : unmanaged
        where TColumn : struct, IColumn<T>
    {
        double a0 = s1, a1 = Unsafe.Add(ref s1, 1), a2 = Unsafe.Add(ref s1, 2), a3 = Unsafe.Add(ref s1, 3);
        double b0 = s2, b1 = Unsafe.Add(ref s2, 1), b2 = Unsafe.Add(ref s2, 2), b3 = Unsafe.Add(ref s2, 3);
        ref T column = ref x;
        ref double row = ref values;
        ref ulong k = ref targets;
        for (int p = 0; p < prompts; p++)
        {
            SumAndSquareOperator.Invoke(ref a0, ref b0, TColumn.Take(ref column, ref row, Lanes.Target(ref k, 0), j));
            ref T c1 = ref Unsafe.Add(ref column, laneStride);
            SumAndSquareOperator.Invoke(ref a1, ref b1, TColumn.Take(ref c1, ref row, Lanes.Target(ref k, 1), j));
            ref T c2 = ref Unsafe.Add(ref c1, laneStride);
            SumAndSquareOperator.Invoke(ref a2, ref b2, TColumn.Take(ref c2, ref row, Lanes.Target(ref k, 2), j));
            ref T c3 = ref Unsafe.Add(ref c2, laneStride);
            SumAndSquareOperator.Invoke(ref a3, ref b3, TColumn.Take(ref c3, ref row, Lanes.Target(ref k, 3), j));
            column = ref Unsafe.Add(ref column, m);
            row = ref Unsafe.Add(ref row, m);
            k = ref Unsafe.Add(ref k, 4);
        }

        s1 = a0;
        Unsafe.Add(ref s1, 1) = a1;
        Unsafe.Add(ref s1, 2) = a2;
        Unsafe.Add(ref s1, 3) = a3;
        s2 = b0;
        Unsafe.Add(ref s2, 1) = b1;
        Unsafe.Add(ref s2, 2) = b2;
        Unsafe.Add(ref s2, 3) = b3;
    }

    public static void Gather<TIndex>(ref TIndex columns, nint laneStride, ref double rows, int prompts, int m, ref double s1, ref double s2)
        where TIndex : unmanaged
    {
        for (int k = 0; k < m; k++)
        {
            ref TIndex c = ref Unsafe.Add(ref columns, k);
            nint i0 = Lanes.Index(ref c), i1 = Lanes.Index(ref c, laneStride, 1), i2 = Lanes.Index(ref c, laneStride, 2), i3 = Lanes.Index(ref c, laneStride, 3);
            ref double a = ref Unsafe.Add(ref s1, k * 4);
            ref double b = ref Unsafe.Add(ref s2, k * 4);
            double a0 = a, a1 = Unsafe.Add(ref a, 1), a2 = Unsafe.Add(ref a, 2), a3 = Unsafe.Add(ref a, 3);
            double b0 = b, b1 = Unsafe.Add(ref b, 1), b2 = Unsafe.Add(ref b, 2), b3 = Unsafe.Add(ref b, 3);
            ref double row = ref rows;
            for (int p = 0; p < prompts; p++)
            {
                SumAndSquareOperator.Invoke(ref a0, ref b0, Unsafe.Add(ref row, i0));
                SumAndSquareOperator.Invoke(ref a1, ref b1, Unsafe.Add(ref row, i1));
                SumAndSquareOperator.Invoke(ref a2, ref b2, Unsafe.Add(ref row, i2));
                SumAndSquareOperator.Invoke(ref a3, ref b3, Unsafe.Add(ref row, i3));
                row = ref Unsafe.Add(ref row, m);
            }

            a = a0;
            Unsafe.Add(ref a, 1) = a1;
            Unsafe.Add(ref a, 2) = a2;
            Unsafe.Add(ref a, 3) = a3;
            b = b0;
            Unsafe.Add(ref b, 1) = b1;
            Unsafe.Add(ref b, 2) = b2;
            Unsafe.Add(ref b, 3) = b3;
        }
    }

    public static void Last<T, TColumn>(ref T x, nint laneStride, ref double values, int prompts, int m, ref double s1, ref double s2)
        where T : unmanaged
        where TColumn : struct, IColumn<T>
    {
        for (int r = 0; r < 4; r++)
        {
            double a = Unsafe.Add(ref s1, r), b = Unsafe.Add(ref s2, r);
            for (int p = 0; p < prompts; p++)
            {
                SumAndSquareOperator.Invoke(ref a, ref b, TColumn.Read(ref Unsafe.Add(ref x, (r * laneStride) + ((nint)p * m)), ref Unsafe.Add(ref values, (nint)p * m)));
            }

            Unsafe.Add(ref s1, r) = a;
            Unsafe.Add(ref s2, r) = b;
        }
    }
}

/// <summary>Four rounds, their sums in two <see cref="Vector128{T}"/>.</summary>
internal readonly struct Vector128Lanes : IRoundLanes
{
    public static int Count => 4;

    public static void DrawWords(Span<ulong> state, Span<ulong> pending, ReadOnlySpan<bool> starts, int prompts, int block,
        ReadOnlySpan<ulong> products, ReadOnlySpan<ulong> thresholds, Span<ulong> blockWords)
    {
        LaneWords.Vector128(state, pending, starts, prompts, block, products, thresholds, blockWords, 4, 0);
        LaneWords.Vector128(state, pending, starts, prompts, block, products, thresholds, blockWords, 4, 2);
    }

    public static int VectorBits => 128;

    public static string Name => "vector128";

    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Step<T, TColumn>(ref T x, nint laneStride, ref double values, ref ulong targets, int prompts, int m, nint j, ref double s1, ref double s2)
        where T : unmanaged
        where TColumn : struct, IColumn<T>
    {
        Vector128<double> a01 = Vector128.LoadUnsafe(ref s1), a23 = Vector128.LoadUnsafe(ref s1, 2);
        Vector128<double> b01 = Vector128.LoadUnsafe(ref s2), b23 = Vector128.LoadUnsafe(ref s2, 2);
        ref T column = ref x;
        ref double row = ref values;
        ref ulong k = ref targets;
        for (int p = 0; p < prompts; p++)
        {
            double y0 = TColumn.Take(ref column, ref row, Lanes.Target(ref k, 0), j);
            ref T c1 = ref Unsafe.Add(ref column, laneStride);
            double y1 = TColumn.Take(ref c1, ref row, Lanes.Target(ref k, 1), j);
            ref T c2 = ref Unsafe.Add(ref c1, laneStride);
            double y2 = TColumn.Take(ref c2, ref row, Lanes.Target(ref k, 2), j);
            ref T c3 = ref Unsafe.Add(ref c2, laneStride);
            double y3 = TColumn.Take(ref c3, ref row, Lanes.Target(ref k, 3), j);
            SumAndSquareOperator.Invoke(ref a01, ref b01, Vector128.Create(y0, y1));
            SumAndSquareOperator.Invoke(ref a23, ref b23, Vector128.Create(y2, y3));
            column = ref Unsafe.Add(ref column, m);
            row = ref Unsafe.Add(ref row, m);
            k = ref Unsafe.Add(ref k, 4);
        }

        a01.StoreUnsafe(ref s1);
        a23.StoreUnsafe(ref s1, 2);
        b01.StoreUnsafe(ref s2);
        b23.StoreUnsafe(ref s2, 2);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather<TIndex>(ref TIndex columns, nint laneStride, ref double rows, int prompts, int m, ref double s1, ref double s2)
        where TIndex : unmanaged
    {
        for (int k = 0; k < m; k++)
        {
            ref TIndex c = ref Unsafe.Add(ref columns, k);
            nint i0 = Lanes.Index(ref c), i1 = Lanes.Index(ref c, laneStride, 1), i2 = Lanes.Index(ref c, laneStride, 2), i3 = Lanes.Index(ref c, laneStride, 3);
            ref double a = ref Unsafe.Add(ref s1, k * 4);
            ref double b = ref Unsafe.Add(ref s2, k * 4);
            Vector128<double> a01 = Vector128.LoadUnsafe(ref a), a23 = Vector128.LoadUnsafe(ref a, 2);
            Vector128<double> b01 = Vector128.LoadUnsafe(ref b), b23 = Vector128.LoadUnsafe(ref b, 2);
            ref double row = ref rows;
            for (int p = 0; p < prompts; p++)
            {
                SumAndSquareOperator.Invoke(ref a01, ref b01, Vector128.Create(Unsafe.Add(ref row, i0), Unsafe.Add(ref row, i1)));
                SumAndSquareOperator.Invoke(ref a23, ref b23, Vector128.Create(Unsafe.Add(ref row, i2), Unsafe.Add(ref row, i3)));
                row = ref Unsafe.Add(ref row, m);
            }

            a01.StoreUnsafe(ref a);
            a23.StoreUnsafe(ref a, 2);
            b01.StoreUnsafe(ref b);
            b23.StoreUnsafe(ref b, 2);
        }
    }

    public static void Last<T, TColumn>(ref T x, nint laneStride, ref double values, int prompts, int m, ref double s1, ref double s2)
        where T : unmanaged
        where TColumn : struct, IColumn<T>
    {
        Vector128<double> a01 = Vector128.LoadUnsafe(ref s1), a23 = Vector128.LoadUnsafe(ref s1, 2);
        Vector128<double> b01 = Vector128.LoadUnsafe(ref s2), b23 = Vector128.LoadUnsafe(ref s2, 2);
        ref T column = ref x;
        ref double row = ref values;
        for (int p = 0; p < prompts; p++)
        {
            SumAndSquareOperator.Invoke(ref a01, ref b01, Vector128.Create(
                TColumn.Read(ref column, ref row),
                TColumn.Read(ref Unsafe.Add(ref column, laneStride), ref row)));
            SumAndSquareOperator.Invoke(ref a23, ref b23, Vector128.Create(
                TColumn.Read(ref Unsafe.Add(ref column, 2 * laneStride), ref row),
                TColumn.Read(ref Unsafe.Add(ref column, 3 * laneStride), ref row)));
            column = ref Unsafe.Add(ref column, m);
            row = ref Unsafe.Add(ref row, m);
        }

        a01.StoreUnsafe(ref s1);
        a23.StoreUnsafe(ref s1, 2);
        b01.StoreUnsafe(ref s2);
        b23.StoreUnsafe(ref s2, 2);
    }
}

/// <summary>Four rounds, their sums in one <see cref="Vector256{T}"/>.</summary>
internal readonly struct Vector256Lanes : IRoundLanes
{
    public static int Count => 4;

    public static void DrawWords(Span<ulong> state, Span<ulong> pending, ReadOnlySpan<bool> starts, int prompts, int block,
        ReadOnlySpan<ulong> products, ReadOnlySpan<ulong> thresholds, Span<ulong> blockWords) =>
        LaneWords.Vector256(state, pending, starts, prompts, block, products, thresholds, blockWords);

    public static int VectorBits => 256;

    public static string Name => "vector256";

    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Step<T, TColumn>(ref T x, nint laneStride, ref double values, ref ulong targets, int prompts, int m, nint j, ref double s1, ref double s2)
        where T : unmanaged
        where TColumn : struct, IColumn<T>
    {
        Vector256<double> a = Vector256.LoadUnsafe(ref s1), b = Vector256.LoadUnsafe(ref s2);
        ref T column = ref x;
        ref double row = ref values;
        ref ulong k = ref targets;
        for (int p = 0; p < prompts; p++)
        {
            double y0 = TColumn.Take(ref column, ref row, Lanes.Target(ref k, 0), j);
            ref T c1 = ref Unsafe.Add(ref column, laneStride);
            double y1 = TColumn.Take(ref c1, ref row, Lanes.Target(ref k, 1), j);
            ref T c2 = ref Unsafe.Add(ref c1, laneStride);
            double y2 = TColumn.Take(ref c2, ref row, Lanes.Target(ref k, 2), j);
            ref T c3 = ref Unsafe.Add(ref c2, laneStride);
            double y3 = TColumn.Take(ref c3, ref row, Lanes.Target(ref k, 3), j);
            SumAndSquareOperator.Invoke(ref a, ref b, Vector256.Create(y0, y1, y2, y3));
            column = ref Unsafe.Add(ref column, m);
            row = ref Unsafe.Add(ref row, m);
            k = ref Unsafe.Add(ref k, 4);
        }

        a.StoreUnsafe(ref s1);
        b.StoreUnsafe(ref s2);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather<TIndex>(ref TIndex columns, nint laneStride, ref double rows, int prompts, int m, ref double s1, ref double s2)
        where TIndex : unmanaged
    {
        for (int k = 0; k < m; k++)
        {
            ref TIndex c = ref Unsafe.Add(ref columns, k);
            nint i0 = Lanes.Index(ref c), i1 = Lanes.Index(ref c, laneStride, 1), i2 = Lanes.Index(ref c, laneStride, 2), i3 = Lanes.Index(ref c, laneStride, 3);
            ref double a = ref Unsafe.Add(ref s1, k * 4);
            ref double b = ref Unsafe.Add(ref s2, k * 4);
            Vector256<double> sum = Vector256.LoadUnsafe(ref a), squares = Vector256.LoadUnsafe(ref b);
            ref double row = ref rows;
            for (int p = 0; p < prompts; p++)
            {
                SumAndSquareOperator.Invoke(ref sum, ref squares,
                    Vector256.Create(Unsafe.Add(ref row, i0), Unsafe.Add(ref row, i1), Unsafe.Add(ref row, i2), Unsafe.Add(ref row, i3)));
                row = ref Unsafe.Add(ref row, m);
            }

            sum.StoreUnsafe(ref a);
            squares.StoreUnsafe(ref b);
        }
    }

    public static void Last<T, TColumn>(ref T x, nint laneStride, ref double values, int prompts, int m, ref double s1, ref double s2)
        where T : unmanaged
        where TColumn : struct, IColumn<T>
    {
        Vector256<double> a = Vector256.LoadUnsafe(ref s1), b = Vector256.LoadUnsafe(ref s2);
        ref T column = ref x;
        ref double row = ref values;
        for (int p = 0; p < prompts; p++)
        {
            var y = Vector256.Create(
                TColumn.Read(ref column, ref row),
                TColumn.Read(ref Unsafe.Add(ref column, laneStride), ref row),
                TColumn.Read(ref Unsafe.Add(ref column, 2 * laneStride), ref row),
                TColumn.Read(ref Unsafe.Add(ref column, 3 * laneStride), ref row));
            SumAndSquareOperator.Invoke(ref a, ref b, y);
            column = ref Unsafe.Add(ref column, m);
            row = ref Unsafe.Add(ref row, m);
        }

        a.StoreUnsafe(ref s1);
        b.StoreUnsafe(ref s2);
    }
}

/// <summary>Eight rounds, their sums in one <see cref="Vector512{T}"/>.</summary>
internal readonly struct Vector512Lanes : IRoundLanes
{
    public static int Count => 8;

    public static void DrawWords(Span<ulong> state, Span<ulong> pending, ReadOnlySpan<bool> starts, int prompts, int block,
        ReadOnlySpan<ulong> products, ReadOnlySpan<ulong> thresholds, Span<ulong> blockWords) =>
        LaneWords.Vector512(state, pending, starts, prompts, block, products, thresholds, blockWords);

    public static int VectorBits => 512;

    public static string Name => "vector512";

    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Step<T, TColumn>(ref T x, nint laneStride, ref double values, ref ulong targets, int prompts, int m, nint j, ref double s1, ref double s2)
        where T : unmanaged
        where TColumn : struct, IColumn<T>
    {
        Vector512<double> a = Vector512.LoadUnsafe(ref s1), b = Vector512.LoadUnsafe(ref s2);
        ref T column = ref x;
        ref double row = ref values;
        ref ulong k = ref targets;
        for (int p = 0; p < prompts; p++)
        {
            double y0 = TColumn.Take(ref column, ref row, Lanes.Target(ref k, 0), j);
            ref T c1 = ref Unsafe.Add(ref column, laneStride);
            double y1 = TColumn.Take(ref c1, ref row, Lanes.Target(ref k, 1), j);
            ref T c2 = ref Unsafe.Add(ref c1, laneStride);
            double y2 = TColumn.Take(ref c2, ref row, Lanes.Target(ref k, 2), j);
            ref T c3 = ref Unsafe.Add(ref c2, laneStride);
            double y3 = TColumn.Take(ref c3, ref row, Lanes.Target(ref k, 3), j);
            ref T c4 = ref Unsafe.Add(ref c3, laneStride);
            double y4 = TColumn.Take(ref c4, ref row, Lanes.Target(ref k, 4), j);
            ref T c5 = ref Unsafe.Add(ref c4, laneStride);
            double y5 = TColumn.Take(ref c5, ref row, Lanes.Target(ref k, 5), j);
            ref T c6 = ref Unsafe.Add(ref c5, laneStride);
            double y6 = TColumn.Take(ref c6, ref row, Lanes.Target(ref k, 6), j);
            ref T c7 = ref Unsafe.Add(ref c6, laneStride);
            double y7 = TColumn.Take(ref c7, ref row, Lanes.Target(ref k, 7), j);
            SumAndSquareOperator.Invoke(ref a, ref b, Vector512.Create(Vector256.Create(y0, y1, y2, y3), Vector256.Create(y4, y5, y6, y7)));
            column = ref Unsafe.Add(ref column, m);
            row = ref Unsafe.Add(ref row, m);
            k = ref Unsafe.Add(ref k, 8);
        }

        a.StoreUnsafe(ref s1);
        b.StoreUnsafe(ref s2);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather<TIndex>(ref TIndex columns, nint laneStride, ref double rows, int prompts, int m, ref double s1, ref double s2)
        where TIndex : unmanaged
    {
        for (int k = 0; k < m; k++)
        {
            ref TIndex c = ref Unsafe.Add(ref columns, k);
            nint i0 = Lanes.Index(ref c), i1 = Lanes.Index(ref c, laneStride, 1), i2 = Lanes.Index(ref c, laneStride, 2), i3 = Lanes.Index(ref c, laneStride, 3);
            nint i4 = Lanes.Index(ref c, laneStride, 4), i5 = Lanes.Index(ref c, laneStride, 5), i6 = Lanes.Index(ref c, laneStride, 6), i7 = Lanes.Index(ref c, laneStride, 7);
            ref double a = ref Unsafe.Add(ref s1, k * 8);
            ref double b = ref Unsafe.Add(ref s2, k * 8);

            // Two 256-bit halves rather than one 512-bit vector: assembling a 512-bit vector from scalars costs two
            // more shuffles per prompt (on the one port that runs them), and 256-bit code leaves a third vector port free.
            Vector256<double> sumLower = Vector256.LoadUnsafe(ref a), sumUpper = Vector256.LoadUnsafe(ref a, 4);
            Vector256<double> squaresLower = Vector256.LoadUnsafe(ref b), squaresUpper = Vector256.LoadUnsafe(ref b, 4);
            ref double row = ref rows;
            for (int p = 0; p < prompts; p++)
            {
                SumAndSquareOperator.Invoke(ref sumLower, ref squaresLower,
                    Vector256.Create(Unsafe.Add(ref row, i0), Unsafe.Add(ref row, i1), Unsafe.Add(ref row, i2), Unsafe.Add(ref row, i3)));
                SumAndSquareOperator.Invoke(ref sumUpper, ref squaresUpper,
                    Vector256.Create(Unsafe.Add(ref row, i4), Unsafe.Add(ref row, i5), Unsafe.Add(ref row, i6), Unsafe.Add(ref row, i7)));
                row = ref Unsafe.Add(ref row, m);
            }

            sumLower.StoreUnsafe(ref a);
            sumUpper.StoreUnsafe(ref a, 4);
            squaresLower.StoreUnsafe(ref b);
            squaresUpper.StoreUnsafe(ref b, 4);
        }
    }

    public static void Last<T, TColumn>(ref T x, nint laneStride, ref double values, int prompts, int m, ref double s1, ref double s2)
        where T : unmanaged
        where TColumn : struct, IColumn<T>
    {
        Vector512<double> a = Vector512.LoadUnsafe(ref s1), b = Vector512.LoadUnsafe(ref s2);
        ref T column = ref x;
        ref double row = ref values;
        for (int p = 0; p < prompts; p++)
        {
            var lower = Vector256.Create(
                TColumn.Read(ref column, ref row),
                TColumn.Read(ref Unsafe.Add(ref column, laneStride), ref row),
                TColumn.Read(ref Unsafe.Add(ref column, 2 * laneStride), ref row),
                TColumn.Read(ref Unsafe.Add(ref column, 3 * laneStride), ref row));
            var upper = Vector256.Create(
                TColumn.Read(ref Unsafe.Add(ref column, 4 * laneStride), ref row),
                TColumn.Read(ref Unsafe.Add(ref column, 5 * laneStride), ref row),
                TColumn.Read(ref Unsafe.Add(ref column, 6 * laneStride), ref row),
                TColumn.Read(ref Unsafe.Add(ref column, 7 * laneStride), ref row));
            SumAndSquareOperator.Invoke(ref a, ref b, Vector512.Create(lower, upper));
            column = ref Unsafe.Add(ref column, m);
            row = ref Unsafe.Add(ref row, m);
        }

        a.StoreUnsafe(ref s1);
        b.StoreUnsafe(ref s2);
    }
}
