using System.Diagnostics.CodeAnalysis;
using System.Reflection;
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
        foreach (var (member, id) in Map<TEnum>.Entries)
        {
            if (EqualityComparer<TEnum>.Default.Equals(member, value))
            {
                return id;
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
            : throw new ArgumentException($"'{id}' is not a {typeof(TEnum).Name}; expected one of {string.Join(", ", Ids<TEnum>())}.", nameof(id));

    /// <summary>Whether <paramref name="id"/> is a member's id, and which member.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="id">An id as <see cref="ToId{TEnum}"/> gives it.</param>
    /// <param name="value">The member, or default when there is none.</param>
    public static bool TryParse<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>(string? id, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var (member, memberId) in Map<TEnum>.Entries)
        {
            if (string.Equals(memberId, id, StringComparison.Ordinal))
            {
                value = member;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Every member's id, in declaration order.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    public static IReadOnlyList<string> Ids<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>()
        where TEnum : struct, Enum => [.. Map<TEnum>.Entries.Select(e => e.Id)];

    private static class Map<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>
        where TEnum : struct, Enum
    {
        public static readonly (TEnum Value, string Id)[] Entries = Build();

        private static (TEnum Value, string Id)[] Build()
        {
            var fields = typeof(TEnum).GetFields(BindingFlags.Public | BindingFlags.Static);
            Array.Sort(fields, (a, b) => Comparer<TEnum>.Default.Compare((TEnum)a.GetValue(null)!, (TEnum)b.GetValue(null)!));
            return [.. fields.Select(f => ((TEnum)f.GetValue(null)!,
                f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.KebabCaseLower.ConvertName(f.Name)))];
        }
    }
}
