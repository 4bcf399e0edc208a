using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace FinancePortal.Infrastructure.Data;

/// <summary>Stores DateTime as given (callers pass UTC) and marks values read back as UTC.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : v,
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
