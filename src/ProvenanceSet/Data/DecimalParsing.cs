using System.Numerics;
using System.Runtime.CompilerServices;

namespace ProvenanceSet.Data;

/// <summary>
/// Fast, exact parsing of the plain decimal numbers a distance CSV holds: <c>[+-]digits[.digits][(e|E)[+-]digits]</c>
/// with at most 19 significant digits. The result is the correctly rounded double, bit for bit what
/// <see cref="double.Parse(string, IFormatProvider)"/> with the invariant culture returns (which rounds correctly
/// too), including -0. Whatever it cannot decide exactly — other syntax (<c>.5</c>, <c>1.</c>, white space, NaN,
/// infinities), more than 19 significant digits, results that would be subnormal or overflow — it declines, and the
/// caller parses that text with <see cref="double.TryParse(ReadOnlySpan{char}, System.Globalization.NumberStyles, IFormatProvider, out double)"/>.
/// </summary>
/// <remarks>
/// Two exact methods: Clinger's fast path (a significand below 2^53 times or divided by an exact power of ten
/// up to 10^22: one correctly rounded IEEE operation), else the Eisel-Lemire method (Lemire, "Number Parsing at
/// a Gigabyte per Second", Software: Practice and Experience 51(8), 2021; Mushtak and Lemire, "Fast number parsing
/// without fallback", 2023), which multiplies the significand by a 128-bit approximation of 5^q and keeps the
/// result only where the approximation cannot change the rounding.
/// </remarks>
internal static partial class DecimalParsing
{
    /// <summary>Significant digits that fit in a ulong whatever they are (10^19 − 1 &lt; 2^64).</summary>
    private const int MaxDigits = 19;

    private static ReadOnlySpan<double> ExactPowersOfTen =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>Parses the whole of <paramref name="text"/>; false where it declines (see the class).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        int end = 0;
        return TryParsePrefix(text, ref end, out value) && end == text.Length;
    }

    /// <summary>
    /// Parses a number that starts at <paramref name="position"/> and ends at the first character that cannot
    /// continue it; on success <paramref name="position"/> is moved past it. False (and <paramref name="position"/>
    /// unchanged) where it declines (see the class): the caller then parses the text another way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParsePrefix(ReadOnlySpan<char> text, ref int position, out double value)
    {
        value = 0;
        int i = position;
        bool negative = false;
        if ((uint)i < (uint)text.Length && text[i] is '-' or '+')
        {
            negative = text[i] == '-';
            i++;
        }

        // Leading zeros are not significant digits; every digit after the first non-zero one is.
        int start = i;
        while ((uint)i < (uint)text.Length && text[i] == '0')
        {
            i++;
        }

        ulong significand = 0;
        int first = i;
        if (!TakeDigits(text, ref i, ref significand, MaxDigits))
        {
            return false;
        }

        if (i == start)
        {
            return false; // no digit before the point: ".5", "-", "NaN", ...
        }

        int digits = i - first;
        int exponent = 0;
        if ((uint)i < (uint)text.Length && text[i] == '.')
        {
            i++;
            int fraction = i;
            if (digits == 0)
            {
                while ((uint)i < (uint)text.Length && text[i] == '0')
                {
                    i++;
                }
            }

            if (!TakeDigits(text, ref i, ref significand, MaxDigits - digits))
            {
                return false;
            }

            if (i == fraction)
            {
                return false; // "1." is left to double.TryParse
            }

            exponent = fraction - i;
        }

        if ((uint)i < (uint)text.Length && (text[i] | 0x20) == 'e')
        {
            i++;
            bool negativeExponent = false;
            if ((uint)i < (uint)text.Length && text[i] is '-' or '+')
            {
                negativeExponent = text[i] == '-';
                i++;
            }

            int exponentStart = i;
            int written = 0;
            uint d;
            while ((uint)i < (uint)text.Length && (d = (uint)(text[i] - '0')) <= 9)
            {
                if (written < 100_000)
                {
                    written = (written * 10) + (int)d;
                }

                i++;
            }

            if (i == exponentStart)
            {
                return false;
            }

            exponent += negativeExponent ? -written : written;
        }

        if (!TryCompute(significand, exponent, negative, out value))
        {
            return false;
        }

        position = i;
        return true;
    }

    // Appends the decimal digits at text[i..] to the significand; false (the number is declined) when there are
    // more than maxDigits of them.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TakeDigits(ReadOnlySpan<char> text, ref int i, ref ulong significand, int maxDigits)
    {
        int end = i + maxDigits;
        uint d;
        while ((uint)i < (uint)text.Length && (d = (uint)(text[i] - '0')) <= 9)
        {
            if (i == end)
            {
                return false;
            }

            significand = (significand * 10) + d;
            i++;
        }

        return true;
    }

    /// <summary>The correctly rounded double nearest to ±<paramref name="w"/> × 10^<paramref name="q"/>; false where not sure.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryCompute(ulong w, int q, bool negative, out double value)
    {
        if (w == 0)
        {
            value = negative ? -0.0 : 0.0;
            return true;
        }

        // Clinger: w and 10^|q| are exact doubles, and one IEEE multiplication or division rounds correctly.
        if (w <= (1UL << 53) && q >= -22 && q <= 22)
        {
            double exact = w;
            value = q < 0 ? exact / ExactPowersOfTen[-q] : exact * ExactPowersOfTen[q];
            if (negative)
            {
                value = -value;
            }

            return true;
        }

        return TryEiselLemire(w, q, negative, out value);
    }

    // fast_float's compute_float for binary64, declining where it would produce a subnormal or an infinity.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryEiselLemire(ulong w, int q, bool negative, out double value)
    {
        value = 0;
        if (q < SmallestPowerOfFive || q > LargestPowerOfFive)
        {
            return false;
        }

        int leadingZeros = BitOperations.LeadingZeroCount(w);
        w <<= leadingZeros;
        ReadOnlySpan<ulong> powers = PowersOfFive;
        int index = 2 * (q - SmallestPowerOfFive);

        // 55 bits are needed: 52 explicit, the implicit bit, a rounding bit and one more for a product below 2^127.
        ulong high = Math.BigMul(w, powers[index], out ulong low);
        const ulong PrecisionMask = ulong.MaxValue >> 55;
        if ((high & PrecisionMask) == PrecisionMask)
        {
            ulong secondHigh = Math.BigMul(w, powers[index + 1], out _);
            low += secondHigh;
            if (secondHigh > low)
            {
                high++;
            }

            // Proven unnecessary (Mushtak and Lemire), kept as in the first published form of the method: decline.
            if (low == ulong.MaxValue && (q < -27 || q > 55))
            {
                return false;
            }
        }

        int upperBit = (int)(high >> 63);
        int shift = upperBit + 64 - 52 - 3;
        ulong mantissa = high >> shift;
        int power2 = (((152_170 + 65_536) * q) >> 16) + 63 + upperBit - leadingZeros + 1023;
        if (power2 <= 0)
        {
            return false; // subnormal (or zero): left to double.TryParse
        }

        // Exactly halfway between two doubles (only possible for small q, where the product is exact): round to even.
        if (low <= 1 && q >= -4 && q <= 23 && (mantissa & 3) == 1 && (mantissa << shift) == high)
        {
            mantissa &= ~1UL;
        }

        mantissa += mantissa & 1;
        mantissa >>= 1;
        if (mantissa >= (2UL << 52))
        {
            mantissa = 1UL << 52;
            power2++;
        }

        mantissa &= ~(1UL << 52);
        if (power2 >= 0x7FF)
        {
            return false; // overflows to infinity: left to double.TryParse
        }

        value = BitConverter.UInt64BitsToDouble(mantissa | ((ulong)power2 << 52) | (negative ? 1UL << 63 : 0));
        return true;
    }
}
