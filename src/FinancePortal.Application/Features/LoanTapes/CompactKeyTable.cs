using System.Runtime.CompilerServices;
namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>
/// An exact set of short texts (at most 127 characters), optionally with a decimal per text, kept compactly for
/// duplicate detection over millions of rows: each key is stored once as bytes in 1 MiB blocks (one byte per character
/// when the text is ASCII, two otherwise, behind a length/kind byte, so two texts have equal bytes only when they are
/// equal), found through an open-addressing table of entry numbers (linear probing, at most half full) hashed with
/// the process-randomised <see cref="HashCode"/>. About 22 bytes per ASCII key of 10 characters (38 with a value),
/// against about 76 for a <see cref="Dictionary{TKey,TValue}"/> of strings; no string is kept per row. Not thread-safe.
/// </summary>
public sealed class CompactKeyTable(bool withValues = false)
{
    public const int MaxKeyLength = 127;
    private const int BlockBits = 20;
    private const int BlockSize = 1 << BlockBits;
    private const int EntryBlockBits = 16;
    private const int EntryBlockSize = 1 << EntryBlockBits;

    private readonly List<byte[]> _blocks = [];
    private readonly List<int[]> _locations = [];
    private readonly List<decimal[]> _values = [];
    private int _used = BlockSize;
    private int[] _slots = new int[1024];

    public int Count { get; private set; }

    /// <summary>Adds the key; false when it was already there.</summary>
    public bool Add(ReadOnlySpan<char> key) => Find(key, add: true, out _) < 0;

    public bool Contains(ReadOnlySpan<char> key) => Find(key, add: false, out _) >= 0;

    /// <summary>The key's value, or 0 when the key is not there.</summary>
    public decimal GetValueOrDefault(ReadOnlySpan<char> key)
    {
        var entry = Find(key, add: false, out _);
        return entry < 0 ? 0m : _values[entry >> EntryBlockBits][entry & (EntryBlockSize - 1)];
    }

    /// <summary>Sets the key's value, adding the key when it is not there.</summary>
    public void Set(ReadOnlySpan<char> key, decimal value)
    {
        if (!withValues)
        {
            throw new InvalidOperationException("This table keeps no values.");
        }

        var entry = Find(key, add: true, out var added);
        if (entry < 0)
        {
            entry = added;
        }

        _values[entry >> EntryBlockBits][entry & (EntryBlockSize - 1)] = value;
    }

    /// <summary>The entry of the key, or -1 when it was not there (then, with <paramref name="add"/>, it is added as <paramref name="added"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Find(ReadOnlySpan<char> key, bool add, out int added)
    {
        added = -1;
        Span<byte> encoded = stackalloc byte[1 + (2 * MaxKeyLength)];
        var bytes = Encode(key, encoded);
        var mask = _slots.Length - 1;
        for (var slot = Hash(bytes) & mask; ; slot = (slot + 1) & mask)
        {
            var occupant = _slots[slot];
            if (occupant == 0)
            {
                if (!add)
                {
                    return -1;
                }

                added = Append(bytes);
                _slots[slot] = added + 1;
                if (++Count * 2 > _slots.Length)
                {
                    Grow();
                }

                return -1;
            }

            if (KeyOf(occupant - 1).SequenceEqual(bytes))
            {
                return occupant - 1;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ReadOnlySpan<byte> Encode(ReadOnlySpan<char> key, Span<byte> buffer)
    {
        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"Keys are at most {MaxKeyLength} characters.", nameof(key));
        }

        if (System.Text.Ascii.IsValid(key))
        {
            buffer[0] = (byte)key.Length;
            for (var i = 0; i < key.Length; i++)
            {
                buffer[1 + i] = (byte)key[i];
            }

            return buffer[..(1 + key.Length)];
        }

        buffer[0] = (byte)(0x80 | key.Length);
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(key).CopyTo(buffer[1..]);
        return buffer[..(1 + (2 * key.Length))];
    }

    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode() & int.MaxValue;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Append(ReadOnlySpan<byte> bytes)
    {
        if (_used + bytes.Length > BlockSize)
        {
            _blocks.Add(new byte[BlockSize]);
            _used = 0;
        }

        var location = ((_blocks.Count - 1) << BlockBits) | _used;
        bytes.CopyTo(_blocks[^1].AsSpan(_used));
        _used += bytes.Length;
        var entry = Count;
        if ((entry & (EntryBlockSize - 1)) == 0)
        {
            _locations.Add(new int[EntryBlockSize]);
            if (withValues)
            {
                _values.Add(new decimal[EntryBlockSize]);
            }
        }

        _locations[entry >> EntryBlockBits][entry & (EntryBlockSize - 1)] = location;
        return entry;
    }

    private ReadOnlySpan<byte> KeyOf(int entry)
    {
        var location = _locations[entry >> EntryBlockBits][entry & (EntryBlockSize - 1)];
        var block = _blocks[location >> BlockBits];
        var start = location & (BlockSize - 1);
        var head = block[start];
        var length = (head & 0x80) == 0 ? head : 2 * (head & 0x7F);
        return block.AsSpan(start, 1 + length);
    }

    private void Grow()
    {
        var slots = new int[_slots.Length * 2];
        var mask = slots.Length - 1;
        for (var entry = 0; entry < Count; entry++)
        {
            var slot = Hash(KeyOf(entry)) & mask;
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = entry + 1;
        }

        _slots = slots;
    }
}
