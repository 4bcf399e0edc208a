namespace FinancePortal.Application.Domain;

/// <summary>
/// One generated supervision report (DOMAIN.md §6): who, when, the parameters and the exact data versions it used,
/// and the file kept in the content-addressed file store under its SHA-256. Rows are history: never changed.
/// </summary>
public sealed class GeneratedReport
{
    public long Id { get; set; }

    /// <summary>The report kind; only the monthly supervision report so far.</summary>
    public string Kind { get; set; } = "";

    /// <summary>The reporting month, <c>YYYY-MM</c>.</summary>
    public string Period { get; set; } = "";

    /// <summary>The parameters as asked for (JSON: period and platform selection).</summary>
    public string ParametersJson { get; set; } = "";

    /// <summary>The data versions used (JSON: platform, month, submission id, version).</summary>
    public string DataVersionsJson { get; set; } = "";

    /// <summary>Platform ids covered by the report (JSON array), for scoped downloads.</summary>
    public string PlatformIdsJson { get; set; } = "";

    /// <summary>Whether the author had national scope when generating.</summary>
    public bool AuthorScopeIsAll { get; set; }

    public string FileName { get; set; } = "";

    /// <summary>Hex SHA-256 of the workbook, also its key in the file store.</summary>
    public string Sha256 { get; set; } = "";

    public long SizeBytes { get; set; }

    public string GeneratedById { get; set; } = "";

    public string GeneratedBy { get; set; } = "";

    public DateTime GeneratedUtc { get; set; }

    /// <summary>The time every time-dependent read of the report used (alert states, timeliness, scorings): the same
    /// parameters and as-of time give the same cells.</summary>
    public DateTime AsOfUtc { get; set; }

    /// <summary>The alert-thresholds version in force at <see cref="AsOfUtc"/> (0 = the defaults).</summary>
    public int ThresholdsVersion { get; set; }

    /// <summary>The language the report's words were written in (en, zh-CN).</summary>
    public string Language { get; set; } = "en";
}
