using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FinancePortal.Infrastructure.Data;

/// <summary>
/// The few SQLite C functions the bulk paths call per value, straight on the native library that Microsoft.Data.Sqlite
/// already loaded (SQLitePCLRaw's <c>e_sqlite3</c>), on the raw statement pointer. Through SQLitePCLRaw every call
/// takes and releases the statement's SafeHandle and goes through a provider object; for tens of millions of calls
/// that costs more than SQLite's own work. The accessors are GC-transition-free: they only read the current row
/// (no I/O, no locks, no callbacks). <c>sqlite3_step</c> keeps the normal transition (it does I/O).
/// A statement is always prepared, reset and finalised through SQLitePCLRaw; only its per-row reads come here.
/// </summary>
internal static unsafe partial class SqliteNative
{
    private const string Library = "e_sqlite3";

    public const int Row = 100;
    public const int Done = 101;

    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    public static partial int Step(nint statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_int")]
    [SuppressGCTransition]
    public static partial int ColumnInt32(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_int64")]
    [SuppressGCTransition]
    public static partial long ColumnInt64(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_text")]
    [SuppressGCTransition]
    private static partial byte* ColumnText(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_bytes")]
    [SuppressGCTransition]
    private static partial int ColumnBytes(nint statement, int column);

    /// <summary>The column's value as UTF-8 text (SQLite renders numbers as text), valid until the next step or reset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<byte> Text(nint statement, int column)
    {
        var text = ColumnText(statement, column);
        return text is null ? default : new ReadOnlySpan<byte>(text, ColumnBytes(statement, column));
    }

    /// <summary>SQLite's "the caller keeps the bytes alive until the statement is stepped or rebound": no copy.</summary>
    private const nint Static = 0;

    /// <summary>SQLite's "copy the bytes now" (SQLITE_TRANSIENT).</summary>
    private const nint Transient = -1;

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64")]
    [SuppressGCTransition]
    public static partial int BindInt64(nint statement, int index, long value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text")]
    [SuppressGCTransition]
    private static partial int BindText(nint statement, int index, byte* text, int length, nint destructor);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text")]
    private static partial int BindTextAllocating(nint statement, int index, byte* text, int length, nint destructor);

    /// <summary>
    /// Binds UTF-8 text that SQLite reads in place: the bytes must stay where they are (pinned) and unchanged until the
    /// statement has been stepped. No copy, no allocation, so no GC transition is needed.
    /// </summary>
    public static int BindTextStatic(nint statement, int index, byte* text, int length) => BindText(statement, index, text, length, Static);

    /// <summary>Binds UTF-8 text that SQLite copies (it allocates, so the call keeps the normal GC transition).</summary>
    public static int BindTextCopy(nint statement, int index, ReadOnlySpan<byte> text)
    {
        fixed (byte* bytes = text)
        {
            return BindTextAllocating(statement, index, bytes, text.Length, Transient);
        }
    }
}
