using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProvenanceSet;

/// <summary>
/// The one mapping between the library's enum values and their stable ids, as the result JSON writes them and
/// the command line accepts them: the kebab-case of the member name (<c>PlusOne</c> is <c>plus-one</c>), unless
/// the member carries <see cref="JsonStringEnumMemberNameAttribute"/> (<c>StudentT4</c> is <c>t4</c>). This is
/// the id that <see cref="JsonStringEnumConverter"/> with <see cref="JsonNamingPolicy.KebabCaseLower"/> writes.
/// </summary>
public static class EnumIds
{
    /// <summary>The stable id of <paramref name="value"/>.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="value">A defined value.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not a defined member.</exception>
    public static string ToId<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        Table table = Map<TEnum>.Table;
        ulong bits = Bits(value);
        for (int i = 0; i < table.Values.Length; i++)
        {
            if (table.Values[i] == bits)
            {
                return table.Ids[i];
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), $"{value} is not a defined {typeof(TEnum).Name}.");
    }

    /// <summary>The member whose id is <paramref name="id"/> (ordinal, case-sensitive).</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="id">An id as <see cref="ToId{TEnum}"/> gives it.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is no member's id; the message lists the ids.</exception>
    public static TEnum Parse<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>(string id)
        where TEnum : struct, Enum =>
        TryParse(id, out TEnum value)
            ? value
            : throw new ArgumentException($"'{id}' is not a {typeof(TEnum).Name}; expected one of {string.Join(", ", Map<TEnum>.Table.Ids)}.", nameof(id));

    /// <summary>Whether <paramref name="id"/> is a member's id, and which member.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="id">An id as <see cref="ToId{TEnum}"/> gives it.</param>
    /// <param name="value">The member, or default when there is none.</param>
    public static bool TryParse<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>(string? id, out TEnum value)
        where TEnum : struct, Enum
    {
        Table table = Map<TEnum>.Table;
        for (int i = 0; i < table.Ids.Length; i++)
        {
            if (string.Equals(table.Ids[i], id, StringComparison.Ordinal))
            {
                value = FromBits<TEnum>(table.Values[i]);
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Every member's id, in declaration order.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    public static IReadOnlyList<string> Ids<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>()
        where TEnum : struct, Enum => Array.AsReadOnly(Map<TEnum>.Table.Ids);

    // A member's value as the bits of its underlying integer, zero-extended (the table holds the same for every member).
    private static ulong Bits<TEnum>(TEnum value)
        where TEnum : struct, Enum => Unsafe.SizeOf<TEnum>() switch
        {
            1 => Unsafe.BitCast<TEnum, byte>(value),
            2 => Unsafe.BitCast<TEnum, ushort>(value),
            4 => Unsafe.BitCast<TEnum, uint>(value),
            _ => Unsafe.BitCast<TEnum, ulong>(value),
        };

    private static TEnum FromBits<TEnum>(ulong bits)
        where TEnum : struct, Enum => Unsafe.SizeOf<TEnum>() switch
        {
            1 => Unsafe.BitCast<byte, TEnum>((byte)bits),
            2 => Unsafe.BitCast<ushort, TEnum>((ushort)bits),
            4 => Unsafe.BitCast<uint, TEnum>((uint)bits),
            _ => Unsafe.BitCast<ulong, TEnum>(bits),
        };

    // One table per enum type, built once. The generic holder only passes the type: the work is in non-generic code, so a
    // process that uses a dozen enums compiles a dozen tiny holders rather than a dozen copies of the reflection and sorting.
    private static class Map<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>
        where TEnum : struct, Enum
    {
        public static readonly Table Table = Table.Build(typeof(TEnum));
    }

    /// <summary>The members' values (as in <see cref="Bits{TEnum}"/>) and ids, ordered by value.</summary>
    private sealed class Table(ulong[] values, string[] ids)
    {
        public ulong[] Values { get; } = values;

        public string[] Ids { get; } = ids;

        public static Table Build([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] Type type)
        {
            FieldInfo[] fields = type.GetFields(BindingFlags.Public | BindingFlags.Static);
            Array.Sort(fields, (a, b) => ((IComparable)a.GetValue(null)!).CompareTo(b.GetValue(null)));
            var values = new ulong[fields.Length];
            var ids = new string[fields.Length];
            for (int i = 0; i < fields.Length; i++)
            {
                values[i] = fields[i].GetRawConstantValue() switch
                {
                    sbyte v => (byte)v,
                    short v => (ushort)v,
                    int v => (uint)v,
                    long v => (ulong)v,
                    byte v => v,
                    ushort v => v,
                    uint v => v,
                    ulong v => v,
                    var other => throw new NotSupportedException($"{type.Name}: an enum member of type {other?.GetType().Name}."),
                };
                ids[i] = fields[i].GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.KebabCaseLower.ConvertName(fields[i].Name);
            }

            return new Table(values, ids);
        }
    }
}
