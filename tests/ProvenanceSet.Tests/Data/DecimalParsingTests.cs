using System.Globalization;
using System.Numerics;
using System.Text;
using ProvenanceSet.Data;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Tests.Data;

/// <summary>
/// The CSV's number parser against <see cref="double.Parse(string, NumberStyles, IFormatProvider)"/> with the invariant
/// culture: wherever it returns a value, the value must have the same bits; where it declines, the reader falls back to
/// double.TryParse itself, so declining is always safe (but must be rare for the numbers CSV writers produce).
/// </summary>
public class DecimalParsingTests
{
    private static double Reference(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Checks one text; returns whether the fast parser took it.</summary>
    private static bool Agrees(string text)
    {
        if (!DecimalParsing.TryParse(text, out double fast))
        {
            return false;
        }

        bool parsed = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double expected);
        Assert.True(parsed, $"'{text}': the fast parser took a text double.TryParse refuses");
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(fast),
            $"'{text}': fast {fast:R} (0x{BitConverter.DoubleToInt64Bits(fast):X16}), double.Parse {expected:R} (0x{BitConverter.DoubleToInt64Bits(expected):X16})");
        return true;
    }

    [Fact]
    public void PowersOfFiveTable_IsExact()
    {
        ReadOnlySpan<ulong> table = DecimalParsing.PowersOfFive;
        Assert.Equal(2 * (DecimalParsing.LargestPowerOfFive - DecimalParsing.SmallestPowerOfFive + 1), table.Length);
        var two128 = BigInteger.One << 128;
        for (int q = DecimalParsing.SmallestPowerOfFive; q <= DecimalParsing.LargestPowerOfFive; q++)
        {
            BigInteger expected;
            if (q >= 0)
            {
                expected = BigInteger.Pow(5, q);
                while (expected < (BigInteger.One << 127))
                {
                    expected <<= 1;
                }

                while (expected >= two128)
                {
                    expected >>= 1;
                }
            }
            else
            {
                var power = BigInteger.Pow(5, -q);
                int z = (int)power.GetBitLength();
                expected = (BigInteger.One << (q >= -27 ? z + 127 : (2 * z) + 128)) / power + 1;
                while (expected >= two128)
                {
                    expected >>= 1;
                }
            }

            int index = 2 * (q - DecimalParsing.SmallestPowerOfFive);
            var actual = ((BigInteger)table[index] << 64) | table[index + 1];
            Assert.True(expected == actual, $"5^{q}: expected 0x{expected:X}, table 0x{actual:X}");
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("-0.0")]
    [InlineData("+0.000e17")]
    [InlineData("0.5")]
    [InlineData("-2")]
    [InlineData("+1")]
    [InlineData("1e22")]
    [InlineData("1e23")]
    [InlineData("1E-5")]
    [InlineData("1e+005")]
    [InlineData("0.1")]
    [InlineData("0.3")]
    [InlineData("000123.4500")]
    [InlineData("0.00000000000000000000000000012345")]
    [InlineData("9007199254740992")] // 2^53
    [InlineData("9007199254740993")] // halfway between 2^53 and 2^53 + 2: to even
    [InlineData("9007199254740995")] // halfway: to even (up)
    [InlineData("1234567890123456789")] // 19 digits
    [InlineData("0.43133169046042824")]
    [InlineData("0.5931050623211411")]
    [InlineData("2.2250738585072014e-308")] // smallest normal
    [InlineData("1.7976931348623157e308")] // largest finite
    [InlineData("4.9406564584124654e-300")]
    [InlineData("7.2057594037927933e16")]
    [InlineData("1.00000000000000011102230246251565404236316680908203125")] // > 19 digits: declined
    public void KnownCases_MatchDoubleParse(string text) => Agrees(text);

    [Theory]
    [InlineData("-0")]
    [InlineData("-0.0")]
    [InlineData("-0e-7")]
    public void NegativeZero_KeepsItsSign(string text)
    {
        Assert.True(DecimalParsing.TryParse(text, out double value));
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(value));
        Assert.Equal(BitConverter.DoubleToInt64Bits(Reference(text)), BitConverter.DoubleToInt64Bits(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".5")]
    [InlineData("1.")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1,5")]
    [InlineData("0x10")]
    [InlineData("12345678901234567890")] // 20 significant digits
    [InlineData("2.2250738585072011e-308")] // subnormal
    [InlineData("4.9e-324")]
    [InlineData("1e-400")]
    [InlineData("1.7976931348623159e308")] // rounds to infinity
    [InlineData("1e999")]
    public void OtherTexts_AreDeclined(string text) => Assert.False(DecimalParsing.TryParse(text, out _));

    [Fact]
    public void RandomDoubles_InEveryFormat_MatchDoubleParse_BitForBit()
    {
        var rng = new Xoshiro256StarStar(TestData.Hash(nameof(RandomDoubles_InEveryFormat_MatchDoubleParse_BitForBit)));
        int taken = 0, texts = 0, shortestTaken = 0, shortest = 0;
        for (int k = 0; k < 150_000; k++)
        {
            // Any bit pattern (every exponent), or a number of the size distances have.
            double value = (k % 3) switch
            {
                0 => BitConverter.Int64BitsToDouble((long)rng.NextUInt64()),
                1 => rng.NextDouble() * Math.Pow(10, (int)rng.NextBounded(41) - 20),
                _ => rng.NextDouble(),
            };
            if (!double.IsFinite(value))
            {
                continue;
            }

            string[] formats = ["R", "G17", "E" + rng.NextBounded(20), "F" + rng.NextBounded(20)];
            foreach (string format in formats)
            {
                string text = value.ToString(format, CultureInfo.InvariantCulture);
                if (text.Length > 400)
                {
                    continue; // F of a huge value
                }

                texts++;
                bool took = Agrees(text);
                taken += took ? 1 : 0;
                if (format == "R" && Math.Abs(value) is > 1e-300 and < 1e300)
                {
                    shortest++;
                    shortestTaken += took ? 1 : 0;
                }
            }
        }

        // Every shortest round-trip text of a normal double has at most 17 digits: the fast path takes them all.
        Assert.Equal(shortest, shortestTaken);
        Assert.True(taken > texts / 2, $"the fast path took only {taken} of {texts} texts");
    }

    [Fact]
    public void RandomDigitStrings_MatchDoubleParse_BitForBit()
    {
        var rng = new Xoshiro256StarStar(TestData.Hash(nameof(RandomDigitStrings_MatchDoubleParse_BitForBit)));
        var text = new StringBuilder();
        int taken = 0;
        const int Count = 300_000;
        for (int k = 0; k < Count; k++)
        {
            text.Clear();
            switch (rng.NextBounded(4))
            {
                case 0:
                    text.Append('-');
                    break;
                case 1:
                    text.Append('+');
                    break;
            }

            // Leading zeros, up to 21 digits before and after the point, any exponent the table covers and beyond.
            text.Append('0', (int)rng.NextBounded(3));
            AppendDigits(text, 1 + (int)rng.NextBounded(21), ref rng);
            if (rng.NextBounded(3) != 0)
            {
                text.Append('.');
                text.Append('0', (int)rng.NextBounded(4));
                AppendDigits(text, 1 + (int)rng.NextBounded(20), ref rng);
            }

            if (rng.NextBounded(2) == 0)
            {
                text.Append(rng.NextBounded(2) == 0 ? 'e' : 'E');
                if (rng.NextBounded(2) == 0)
                {
                    text.Append(rng.NextBounded(2) == 0 ? '-' : '+');
                }

                text.Append(rng.NextBounded(700).ToString(CultureInfo.InvariantCulture));
            }

            taken += Agrees(text.ToString()) ? 1 : 0;
        }

        Assert.True(taken > Count / 3, $"the fast path took only {taken} of {Count} texts");
    }

    /// <summary>Exactly halfway between two doubles, and one unit of the last of 19 digits either side of it.</summary>
    [Fact]
    public void HalfwayCases_RoundToEven_LikeDoubleParse()
    {
        var rng = new Xoshiro256StarStar(TestData.Hash(nameof(HalfwayCases_RoundToEven_LikeDoubleParse)));
        for (int k = 0; k < 20_000; k++)
        {
            // Doubles below 2^64 whose halfway point is an integer of at most 19 digits: w = 2m + 1 at scale 2^(e-1).
            ulong mantissa = (1UL << 52) | (rng.NextUInt64() >> 12);
            int shift = (int)rng.NextBounded(10); // below 2^63: at most 19 digits
            var halfway = ((BigInteger)((2 * mantissa) + 1)) << shift;
            string digits = halfway.ToString(CultureInfo.InvariantCulture);
            Agrees(digits);
            Agrees((halfway - 1).ToString(CultureInfo.InvariantCulture));
            Agrees((halfway + 1).ToString(CultureInfo.InvariantCulture));
            // The same digits with a decimal point: a halfway point times a power of ten is no longer exactly halfway.
            Agrees(digits[..^1] + "." + digits[^1..]);
        }
    }

    [Theory]
    [InlineData("0.5", true)]
    [InlineData(" 0.5 ", true)]
    [InlineData("\u00a00.5\t", true)]
    [InlineData(".5", true)]
    [InlineData("5.", true)]
    [InlineData("1e5", true)]
    [InlineData("", false)]
    [InlineData("  ", false)]
    [InlineData("NaN", false)]
    [InlineData("-Infinity", false)]
    [InlineData("1e999", false)]
    [InlineData("abc", false)]
    [InlineData("0,5", false)]
    public void TryParseCell_IsTrimThenInvariantParseThenFinite(string text, bool ok)
    {
        Assert.Equal(ok, CsvRecordReader.TryParseCell(text, out double value));
        if (ok)
        {
            Assert.Equal(Reference(text.Trim()), value);
        }
    }

    private static void AppendDigits(StringBuilder text, int count, ref Xoshiro256StarStar rng)
    {
        for (int i = 0; i < count; i++)
        {
            text.Append((char)('0' + (int)rng.NextBounded(10)));
        }
    }
}
