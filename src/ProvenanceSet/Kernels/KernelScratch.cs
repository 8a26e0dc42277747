using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ProvenanceSet.Kernels;

/// <summary>
/// Everything one call of <see cref="LanesKernel{TLanes}"/> works in: the shape of its passes and every buffer, carved
/// from one array rented from <see cref="ArrayPool{T}"/> and returned by <see cref="Dispose"/>. Nothing is allocated per round.
/// </summary>
/// <remarks>
/// A pass runs <see cref="Lanes.Count"/> rounds (lanes) over a block of prompts (or of prompt groups). Layouts, r a lane:
/// the generators <c>State[pass·4·Lanes.Count …]</c> (<see cref="LaneWords"/>); the words
/// <c>Pending[(pass·words + b)·Lanes.Count + r]</c> and <c>Words[(b·Block + p)·Lanes.Count + r]</c>; the swap targets and
/// the chains they come from <c>Targets[p·Lanes.Count + r]</c> and <c>Chain[…]</c> (<see cref="SwapTargetOperator"/>);
/// the sums of position k <c>Sums1[(pass·m + k)·Lanes.Count + r]</c>; the lanes' columns <c>r·LaneStride + p·m + k</c>.
/// </remarks>
internal ref struct KernelScratch : IDisposable
{
    private readonly int _entryBytes;
    private readonly byte[] _rented;

    /// <summary>
    /// Work space for <paramref name="passes"/> passes over blocks of <paramref name="block"/> prompts (or groups), the centred
    /// values of <paramref name="valuePrompts"/> prompts read at once, and column entries of <paramref name="entryBytes"/> bytes.
    /// </summary>
    public KernelScratch(SwapTargetPlan plan, int passes, int block, int valuePrompts, int entryBytes)
    {
        Plan = plan;
        M = plan.Length;
        Passes = passes;
        Block = block;
        _entryBytes = entryBytes;

        // Lanes' copies of a block a whole number of cache lines plus one line apart, so that they never lie a multiple
        // of 4 KiB apart (which would make their loads and stores falsely depend on each other).
        int line = 64 / entryBytes;
        LaneStride = (((block * M) + line - 1) / line * line) + line;
        _rented = ArrayPool<byte>.Shared.Rent(Carve(null, valuePrompts));
        Carve(_rented, valuePrompts);
        Sums1.Clear();
        Sums2.Clear();
    }

    public SwapTargetPlan Plan { get; }

    public int M { get; }

    public int Passes { get; }

    public int Block { get; }

    public int LaneStride { get; }

    public Span<ulong> State { get; private set; }

    public Span<ulong> Pending { get; private set; }

    public Span<double> Values { get; private set; }

    public Span<ulong> Words { get; private set; }

    public Span<ulong> Targets { get; private set; }

    public Span<ulong> Chain { get; private set; }

    public Span<bool> Starts { get; private set; }

    public Span<double> Sums1 { get; private set; }

    public Span<double> Sums2 { get; private set; }

    private Span<byte> Columns { get; set; }

    private Span<byte> Identity { get; set; }

    /// <summary>The lanes' columns, entries of <typeparamref name="T"/>.</summary>
    public readonly Span<T> ColumnsOf<T>()
        where T : unmanaged => MemoryMarshal.Cast<byte, T>(Columns);

    /// <summary>Index columns 0, 1, .., m − 1 for every prompt (or group) of a block.</summary>
    public readonly Span<T> IdentityOf<T>()
        where T : unmanaged => MemoryMarshal.Cast<byte, T>(Identity);

    public readonly void Dispose() => ArrayPool<byte>.Shared.Return(_rented);

    // Lays every buffer out in `rented`, each on cache lines of its own, and returns the bytes they take (no array: counts only).
    private int Carve(byte[]? rented, int valuePrompts)
    {
        int used = 0, lanes = Lanes.Count, words = Plan.WordCount;
        State = Take<ulong>(rented, ref used, Passes * 4 * lanes);
        Pending = Take<ulong>(rented, ref used, Passes * words * lanes);
        Values = Take<double>(rented, ref used, valuePrompts * M);
        Columns = Take<byte>(rented, ref used, lanes * LaneStride * _entryBytes);
        Identity = Take<byte>(rented, ref used, Block * M * _entryBytes);
        Words = Take<ulong>(rented, ref used, words * Block * lanes);
        Targets = Take<ulong>(rented, ref used, Block * lanes);
        Chain = Take<ulong>(rented, ref used, Block * lanes);
        Starts = Take<bool>(rented, ref used, Block);
        Sums1 = Take<double>(rented, ref used, Passes * M * lanes);
        Sums2 = Take<double>(rented, ref used, Passes * M * lanes);
        return used;
    }

    private static Span<T> Take<T>(byte[]? rented, scoped ref int used, int count)
        where T : unmanaged
    {
        int bytes = count * Unsafe.SizeOf<T>();
        Span<T> span = rented is null ? default : MemoryMarshal.Cast<byte, T>(rented.AsSpan(used, bytes));
        used += (bytes + 63) & ~63;
        return span;
    }
}
