using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ProvenanceSet.Kernels;

/// <summary>
/// The lanes of <see cref="LanesKernel{TLanes}"/>: <see cref="Count"/> permutation rounds side by side, and the one loop
/// body that adds each lane's values over a block of prompts to that lane's sums (<see cref="Add{TLanes, TValues}"/>).
/// The lanes are independent rounds, so their Fisher–Yates swaps overlap in the CPU and their sums form vectors; every
/// lane still adds its values over prompts in stored order, exactly like <see cref="ScalarReferenceKernel"/>.
/// </summary>
internal static class Lanes
{
    /// <summary>Rounds side by side in every fast kernel (8 measured ahead of 4, docs/performance.md).</summary>
    public const int Count = 8;

    /// <summary>
    /// For prompts 0..<paramref name="count"/>−1, adds each lane's value and its square to the lane's sums at
    /// <c>s1[lane]</c> and <c>s2[lane]</c>, which stay in registers (<typeparamref name="TLanes"/>) meanwhile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add<TLanes, TValues>(TValues values, int count, ref double s1, ref double s2)
        where TLanes : struct, ILaneSums<TLanes>
        where TValues : ILaneValues, allows ref struct
    {
        TLanes sums = Unsafe.As<double, TLanes>(ref s1), squares = Unsafe.As<double, TLanes>(ref s2);
        for (int p = 0; p < count; p++)
        {
            TLanes.Add(ref sums, ref squares,
                values.Take(0), values.Take(1), values.Take(2), values.Take(3), values.Take(4), values.Take(5), values.Take(6), values.Take(7));
            values.Next();
        }

        Unsafe.As<double, TLanes>(ref s1) = sums;
        Unsafe.As<double, TLanes>(ref s2) = squares;
    }

    /// <summary>Lane r's swap target: the upper 32 bits of targets[r] (<see cref="SwapTargetOperator"/>), read as a 32-bit load.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Target(ref ulong targets, int lane) =>
        Unsafe.Add(ref Unsafe.As<ulong, uint>(ref targets), (2 * lane) + (BitConverter.IsLittleEndian ? 1 : 0));

    /// <summary>An index column's entry: a byte (up to 256 candidates) or a 16-bit index (above).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nint Index<TIndex>(TIndex entry)
        where TIndex : unmanaged =>
        typeof(TIndex) == typeof(byte) ? Unsafe.BitCast<TIndex, byte>(entry) : Unsafe.BitCast<TIndex, ushort>(entry);

    /// <summary>The index column entry for <paramref name="index"/>.</summary>
    public static TIndex ToIndex<TIndex>(int index)
        where TIndex : unmanaged =>
        typeof(TIndex) == typeof(byte) ? Unsafe.BitCast<byte, TIndex>((byte)index) : Unsafe.BitCast<ushort, TIndex>((ushort)index);

    /// <summary>The value a column entry stands for: the entry itself (double), or the prompt's value at the entry's index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Value<T>(T entry, ref double row)
        where T : unmanaged =>
        typeof(T) == typeof(double) ? Unsafe.BitCast<T, double>(entry) : Unsafe.Add(ref row, Index(entry));
}

/// <summary>The width operator: the lanes' sums of one position in registers, laid out as <see cref="Lanes.Count"/> doubles.</summary>
internal interface ILaneSums<TSelf>
    where TSelf : struct, ILaneSums<TSelf>
{
    /// <summary>The kernel's stable name.</summary>
    static abstract string Name { get; }

    /// <summary>Whether the CPU runs this width in hardware (otherwise emulated: correct, slow).</summary>
    static abstract bool IsHardwareAccelerated { get; }

    /// <summary>Adds y_r to lane r's sums and y_r² to its squares (<see cref="SumAndSquareOperator"/>).</summary>
    static abstract void Add(ref TSelf sums, ref TSelf squares, double y0, double y1, double y2, double y3, double y4, double y5, double y6, double y7);
}

/// <summary>Scalar sums: the path when hardware intrinsics are off.</summary>
internal struct ScalarLanes : ILaneSums<ScalarLanes>
{
    private double _0, _1, _2, _3, _4, _5, _6, _7;

    public static string Name => "scalar";

    public static bool IsHardwareAccelerated => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref ScalarLanes sums, ref ScalarLanes squares, double y0, double y1, double y2, double y3, double y4, double y5, double y6, double y7)
    {
        SumAndSquareOperator.Invoke(ref sums._0, ref squares._0, y0);
        SumAndSquareOperator.Invoke(ref sums._1, ref squares._1, y1);
        SumAndSquareOperator.Invoke(ref sums._2, ref squares._2, y2);
        SumAndSquareOperator.Invoke(ref sums._3, ref squares._3, y3);
        SumAndSquareOperator.Invoke(ref sums._4, ref squares._4, y4);
        SumAndSquareOperator.Invoke(ref sums._5, ref squares._5, y5);
        SumAndSquareOperator.Invoke(ref sums._6, ref squares._6, y6);
        SumAndSquareOperator.Invoke(ref sums._7, ref squares._7, y7);
    }
}

/// <summary>
/// Vector sums, as two <see cref="Vector256{T}"/> halves: a 512-bit vector assembled from scalars costs two more shuffles
/// per prompt on the one port that runs them, and 256-bit code leaves a third vector port free.
/// </summary>
internal struct VectorLanes : ILaneSums<VectorLanes>
{
    private Vector256<double> _lower, _upper;

    public static string Name => "vector";

    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref VectorLanes sums, ref VectorLanes squares, double y0, double y1, double y2, double y3, double y4, double y5, double y6, double y7)
    {
        SumAndSquareOperator.Invoke(ref sums._lower, ref squares._lower, Vector256.Create(y0, y1, y2, y3));
        SumAndSquareOperator.Invoke(ref sums._upper, ref squares._upper, Vector256.Create(y4, y5, y6, y7));
    }
}

/// <summary>What <see cref="Lanes.Add{TLanes, TValues}"/> adds: each lane's value at the current prompt, prompt after prompt.</summary>
internal interface ILaneValues
{
    /// <summary>Lane <paramref name="lane"/>'s value at the current prompt (taken once per lane and prompt, lanes in order).</summary>
    double Take(int lane);

    /// <summary>Moves on to the next prompt.</summary>
    void Next();
}

/// <summary>
/// Fisher–Yates at position j ≥ 1 on every prompt of a block and every lane: lane r's column at <c>columns[r·laneStride + p·m]</c>
/// gives slot k_r (its swap target) the entry of slot j, and the lane's value is the one slot k_r held, which ends at
/// position j (only slot k is stored: position j is final). A column holds the prompt's values or indices into them.
/// </summary>
internal ref struct SwapValues<T> : ILaneValues
    where T : unmanaged
{
    private readonly nint _laneStride, _j;
    private readonly int _m;
    private ref T _column;
    private ref double _row;
    private ref ulong _targets;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SwapValues(ref T columns, nint laneStride, ref double values, ref ulong targets, int m, nint j)
    {
        _column = ref columns;
        _laneStride = laneStride;
        _row = ref values;
        _targets = ref targets;
        _m = m;
        _j = j;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Take(int lane)
    {
        ref T column = ref Unsafe.Add(ref _column, lane * _laneStride);
        ref T slot = ref Unsafe.Add(ref column, (nint)Lanes.Target(ref _targets, lane));
        T entry = slot;
        slot = Unsafe.Add(ref column, _j);
        return Lanes.Value(entry, ref _row);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Next()
    {
        _column = ref Unsafe.Add(ref _column, _m);
        _row = ref Unsafe.Add(ref _row, _m);
        _targets = ref Unsafe.Add(ref _targets, Lanes.Count);
    }
}

/// <summary>Position 0 once every swap is done: lane r's value is what its column holds there.</summary>
internal ref struct FirstValues<T> : ILaneValues
    where T : unmanaged
{
    private readonly nint _laneStride;
    private readonly int _m;
    private ref T _column;
    private ref double _row;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FirstValues(ref T columns, nint laneStride, ref double values, int m)
    {
        _column = ref columns;
        _laneStride = laneStride;
        _row = ref values;
        _m = m;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Take(int lane) => Lanes.Value(Unsafe.Add(ref _column, lane * _laneStride), ref _row);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Next()
    {
        _column = ref Unsafe.Add(ref _column, _m);
        _row = ref Unsafe.Add(ref _row, _m);
    }
}

/// <summary>
/// A prompt group's permutations at position k: lane r's value is the prompt's value at the index its column holds at k,
/// π_r(k), the same for every prompt of the group (so read once).
/// </summary>
internal ref struct GroupValues<TIndex> : ILaneValues
    where TIndex : unmanaged
{
    private readonly nint _i0, _i1, _i2, _i3, _i4, _i5, _i6, _i7;
    private readonly int _m;
    private ref double _row;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public GroupValues(ref TIndex columns, nint laneStride, ref double values, int m)
    {
        _i0 = Lanes.Index(columns);
        _i1 = Lanes.Index(Unsafe.Add(ref columns, laneStride));
        _i2 = Lanes.Index(Unsafe.Add(ref columns, 2 * laneStride));
        _i3 = Lanes.Index(Unsafe.Add(ref columns, 3 * laneStride));
        _i4 = Lanes.Index(Unsafe.Add(ref columns, 4 * laneStride));
        _i5 = Lanes.Index(Unsafe.Add(ref columns, 5 * laneStride));
        _i6 = Lanes.Index(Unsafe.Add(ref columns, 6 * laneStride));
        _i7 = Lanes.Index(Unsafe.Add(ref columns, 7 * laneStride));
        _row = ref values;
        _m = m;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Take(int lane) =>
        Unsafe.Add(ref _row, lane switch { 0 => _i0, 1 => _i1, 2 => _i2, 3 => _i3, 4 => _i4, 5 => _i5, 6 => _i6, _ => _i7 });

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Next() => _row = ref Unsafe.Add(ref _row, _m);
}
