using FinancePortal.Application.Features.LoanTapes;

namespace FinancePortal.UnitTests.LoanTapes;

/// <summary>The duplicate-detection table answers exactly as a dictionary of strings.</summary>
public class CompactKeyTableTests
{
    [Fact]
    public void Adds_and_values_match_a_dictionary_of_strings_through_growth()
    {
        var random = new Random(42);
        var table = new CompactKeyTable(withValues: true);
        var reference = new Dictionary<string, decimal>(StringComparer.Ordinal);
        string[] alphabet = ["a", "b", "L", "0", "1", "é", "借", "\uD83D\uDE00", "\uD800", "\uDC00", " "];
        for (var i = 0; i < 200_000; i++)
        {
            var key = i % 3 == 0
                ? string.Concat(Enumerable.Range(0, random.Next(0, 6)).Select(_ => alphabet[random.Next(alphabet.Length)]))
                : $"L{random.Next(150_000):D8}";
            var value = random.Next(1, 100_000) / 100m;
            Assert.Equal(reference.TryAdd(key, 0m), !table.Contains(key));
            var total = table.GetValueOrDefault(key) + value;
            Assert.Equal(reference[key], table.GetValueOrDefault(key));
            reference[key] = total;
            table.Set(key, total);
        }

        Assert.Equal(reference.Count, table.Count);
        Assert.All(reference, kv => Assert.Equal(kv.Value, table.GetValueOrDefault(kv.Key)));
    }

    [Fact]
    public void Texts_that_differ_only_in_kind_or_case_are_different_keys()
    {
        var set = new CompactKeyTable();
        Assert.True(set.Add("AB"));
        Assert.True(set.Add("ab"));
        Assert.True(set.Add("\u4141"));
        Assert.True(set.Add("\u0041\u0000"));
        Assert.True(set.Add("A"));
        Assert.True(set.Add(""));
        Assert.False(set.Add("AB"));
        Assert.False(set.Add(""));
        Assert.True(set.Add("\uD800"));
        Assert.True(set.Add("\uDBFF"));
        Assert.False(set.Add("\uD800"));
        Assert.True(set.Add(new string('x', CompactKeyTable.MaxKeyLength)));
        Assert.Throws<ArgumentException>(() => set.Add(new string('x', CompactKeyTable.MaxKeyLength + 1)));
    }
}
