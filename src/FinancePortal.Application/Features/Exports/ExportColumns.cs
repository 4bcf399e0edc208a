namespace FinancePortal.Application.Features.Exports;

public enum ExportFormat
{
    Xlsx,
    Csv,
}

/// <summary>How a column's cells are written: XLSX number formats, CSV invariant text.</summary>
public enum ExportCellKind
{
    /// <summary>Text, written formula-safe (<see cref="SafeCell"/>).</summary>
    Text,

    /// <summary>A whole number, <c>#,##0</c> in XLSX.</summary>
    Integer,

    /// <summary>An RMB amount, <c>¥#,##0.00</c> in XLSX, two decimals in CSV.</summary>
    Money,

    /// <summary>A fraction shown as a percentage, <c>0.00%</c> in XLSX; the fraction itself in CSV.</summary>
    Rate,

    /// <summary>A plain decimal number.</summary>
    Number,

    /// <summary>A calendar date, a real date cell in XLSX, <c>yyyy-MM-dd</c> in CSV.</summary>
    Date,

    /// <summary>A UTC time, a date-time cell in XLSX, ISO 8601 in CSV.</summary>
    DateTime,
}

/// <summary>What a writer needs to know about a column before the first row.</summary>
public sealed record ExportColumnInfo(string Header, ExportCellKind Kind, double Width);

/// <summary>
/// One column of an export: its header, its kind and how to read the value from a row. Built with the factory
/// methods of <see cref="ExportColumn"/>; the export service writes every column through one <see cref="IExportWriter"/>.
/// </summary>
public abstract class ExportColumn<T>(string header, ExportCellKind kind, double width)
{
    public ExportColumnInfo Info { get; } = new(header, kind, width);

    public abstract void Write(T row, IExportWriter writer);
}

public static class ExportColumn
{
    public static ExportColumn<T> Text<T>(string header, Func<T, string?> value, double width = 16) => new TextColumn<T>(header, value, width);

    public static ExportColumn<T> Integer<T>(string header, Func<T, long?> value, double width = 10) => new IntegerColumn<T>(header, value, width);

    public static ExportColumn<T> Money<T>(string header, Func<T, decimal?> value, double width = 16) => new DecimalColumn<T>(header, ExportCellKind.Money, value, width);

    /// <summary>A fraction (0.0123 = 1.23%).</summary>
    public static ExportColumn<T> Rate<T>(string header, Func<T, decimal?> value, double width = 10) => new DecimalColumn<T>(header, ExportCellKind.Rate, value, width);

    public static ExportColumn<T> Number<T>(string header, Func<T, decimal?> value, double width = 12) => new DecimalColumn<T>(header, ExportCellKind.Number, value, width);

    public static ExportColumn<T> Date<T>(string header, Func<T, DateOnly?> value, double width = 12) => new DateColumn<T>(header, value, width);

    public static ExportColumn<T> Time<T>(string header, Func<T, DateTime?> value, double width = 19) => new TimeColumn<T>(header, value, width);

    private sealed class TextColumn<T>(string header, Func<T, string?> value, double width) : ExportColumn<T>(header, ExportCellKind.Text, width)
    {
        public override void Write(T row, IExportWriter writer) => writer.Text(value(row));
    }

    private sealed class IntegerColumn<T>(string header, Func<T, long?> value, double width) : ExportColumn<T>(header, ExportCellKind.Integer, width)
    {
        public override void Write(T row, IExportWriter writer) => writer.Integer(value(row));
    }

    private sealed class DecimalColumn<T>(string header, ExportCellKind kind, Func<T, decimal?> value, double width) : ExportColumn<T>(header, kind, width)
    {
        public override void Write(T row, IExportWriter writer) => writer.Decimal(value(row));
    }

    private sealed class DateColumn<T>(string header, Func<T, DateOnly?> value, double width) : ExportColumn<T>(header, ExportCellKind.Date, width)
    {
        public override void Write(T row, IExportWriter writer) => writer.Date(value(row));
    }

    private sealed class TimeColumn<T>(string header, Func<T, DateTime?> value, double width) : ExportColumn<T>(header, ExportCellKind.DateTime, width)
    {
        public override void Write(T row, IExportWriter writer) => writer.Time(value(row));
    }
}
