using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace FinancePortal.Infrastructure.LoanTapes;

/// <summary>
/// A workbook's shared strings, by index. Excel stores every distinct text of a sheet there, so a large loan tape saved
/// by Excel has one per loan id and one per borrower ref: millions. While their text is small the strings stay in memory;
/// once it passes <see cref="LoanTapeLimits.SharedStringsInMemoryChars"/> every string moves to a temporary file (UTF-16
/// text, plus a file of start offsets) that is memory-mapped for reading. The process's own memory then stays flat
/// however many strings the workbook has: the mapped pages are clean file pages the operating system can drop and read
/// again. The files are deleted when the store is disposed (or the process ends).
/// </summary>
internal sealed unsafe class SharedStringStore : IDisposable
{
    private readonly long _spillAfterChars;
    private List<string>? _memory = [];
    private long _memoryChars;
    private FileStream? _text;
    private FileStream? _offsets;
    private long _textChars;
    private MemoryMappedFile? _textMap;
    private MemoryMappedFile? _offsetMap;
    private MemoryMappedViewAccessor? _textView;
    private MemoryMappedViewAccessor? _offsetView;
    private char* _textStart;
    private long* _offsetStart;
    private bool _completed;

    public SharedStringStore(long spillAfterChars) => _spillAfterChars = spillAfterChars;

    public int Count { get; private set; }

    /// <summary>True when the strings live in the temporary file rather than in memory.</summary>
    public bool Spilled => _memory is null;

    public void Add(string text)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The shared strings are complete.");
        }

        Count++;
        if (_memory is not null)
        {
            _memory.Add(text);
            _memoryChars += text.Length;
            if (_memoryChars > _spillAfterChars)
            {
                Spill();
            }

            return;
        }

        Append(text);
    }

    /// <summary>Ends the adding; from here on the strings are read by index.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        if (_memory is not null)
        {
            return;
        }

        WriteOffset(_textChars); // the end of the last string
        _text!.Flush();
        _offsets!.Flush();
        _offsetMap = MemoryMappedFile.CreateFromFile(_offsets, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        _offsetView = _offsetMap.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        _offsetStart = (long*)Acquire(_offsetView);
        if (_textChars > 0)
        {
            _textMap = MemoryMappedFile.CreateFromFile(_text, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
            _textView = _textMap.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            _textStart = (char*)Acquire(_textView);
        }
    }

    /// <summary>The string at <paramref name="index"/> (0 to <see cref="Count"/> - 1), after <see cref="Complete"/>.</summary>
    public ReadOnlySpan<char> this[int index]
    {
        get
        {
            if (!_completed)
            {
                throw new InvalidOperationException("Complete the shared strings before reading them.");
            }

            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            if (_memory is not null)
            {
                return _memory[index];
            }

            var start = _offsetStart[index];
            var length = (int)(_offsetStart[index + 1] - start);
            return length == 0 ? [] : new ReadOnlySpan<char>(_textStart + start, length);
        }
    }

    public void Dispose()
    {
        Release(_textView, _textStart != null);
        Release(_offsetView, _offsetStart != null);
        _textStart = null;
        _offsetStart = null;
        _textView?.Dispose();
        _offsetView?.Dispose();
        _textMap?.Dispose();
        _offsetMap?.Dispose();
        _text?.Dispose();
        _offsets?.Dispose();
        _memory = null;
    }

    private void Spill()
    {
        _text = Temporary();
        _offsets = Temporary();
        foreach (var text in _memory!)
        {
            Append(text);
        }

        _memory = null;
    }

    private void Append(string text)
    {
        WriteOffset(_textChars);
        _text!.Write(MemoryMarshal.AsBytes(text.AsSpan()));
        _textChars += text.Length;
    }

    private void WriteOffset(long offset) => _offsets!.Write(MemoryMarshal.AsBytes(new ReadOnlySpan<long>(in offset)));

    private static FileStream Temporary() =>
        new(Path.Combine(Path.GetTempPath(), $"fp-shared-strings-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
            64 * 1024, FileOptions.DeleteOnClose);

    private static byte* Acquire(MemoryMappedViewAccessor view)
    {
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        return pointer + view.PointerOffset;
    }

    private static void Release(MemoryMappedViewAccessor? view, bool acquired)
    {
        if (view is not null && acquired)
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }
}
