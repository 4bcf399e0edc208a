using System.Globalization;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Security;
using FinancePortal.Infrastructure.Data;
using FinancePortal.Infrastructure.LoanTapes.Bulk;
using FinancePortal.TestSupport;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.IntegrationTests.LoanTapes;

/// <summary>The per-provider bulk paths for loan rows: SQLite for real, SQL Server on what it would send.</summary>
public class BulkWriterTests : IAsyncLifetime
{
    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private static async IAsyncEnumerable<LoanRecord> Rows(long submissionId, int platformId, int count, int? failAt = null)
    {
        for (var i = 0; i < count; i++)
        {
            if (i == failAt)
            {
                throw new IOException("Disk unplugged mid-commit.");
            }

            await Task.Yield();
            yield return new LoanRecord
            {
                SubmissionId = submissionId, PlatformId = platformId, Period = "2026-10", LoanId = $"L{i:D6}", BorrowerRef = $"B{i % 97:D4}",
                ProductType = "INSTALLMENT", Scenario = "ECOMMERCE", OriginationDate = new DateOnly(2026, 1 + i % 9, 1 + i % 28),
                Principal = 1000m + i + 0.25m, CreditLimit = 5000m, TermMonths = 12, AnnualRatePct = 18.25m, OutstandingPrincipal = 500.5m + i,
                DaysPastDue = i % 120, Status = i % 120 >= 90 ? "DEFAULTED" : i % 120 == 0 ? "CURRENT" : "DELINQUENT",
                ChargeOffAmount = 0m, RecoveryAmount = 0m, FundingSource = "OWN_FUNDS",
            };
        }
    }

    private async Task<(long SubmissionId, int PlatformId)> SubmissionAsync()
    {
        await using var scope = _portal.As(UserContext.System);
        await using var db = await scope.Get<IPortalDbFactory>().CreateAsync();
        var platformId = await db.Platforms.Where(p => p.Code == "JDBT").Select(p => p.Id).SingleAsync();
        var submission = new LoanSubmission { PlatformId = platformId, Period = "2026-10", FileName = "tape.csv", FileSha256 = new string('a', 64), UploadedBy = "x", UploadedUtc = DateTime.UtcNow };
        db.LoanSubmissions.Add(submission);
        await db.SaveChangesAsync();
        return (submission.Id, platformId);
    }

    [Fact]
    public async Task Sqlite_writer_inserts_every_row_exactly_as_EF_reads_it_back()
    {
        var (submissionId, platformId) = await SubmissionAsync();
        await using var scope = _portal.As(UserContext.System);
        await using (var db = (PortalDbContext)await scope.Get<IPortalDbFactory>().CreateAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var written = await LoanRecordWriter.For(db).WriteAsync(db, Rows(submissionId, platformId, 2_500), CancellationToken.None);
            await tx.CommitAsync();
            Assert.Equal(2_500, written);
            Assert.IsType<SqliteLoanRecordWriter>(LoanRecordWriter.For(db));
        }

        await using var check = await scope.Get<IPortalDbFactory>().CreateAsync();
        Assert.Equal(2_500, await check.LoanRecords.CountAsync(r => r.SubmissionId == submissionId));
        var row = await check.LoanRecords.SingleAsync(r => r.SubmissionId == submissionId && r.LoanId == "L000100");
        Assert.Equal((1100.25m, 600.5m, 18.25m, new DateOnly(2026, 2, 17), "DEFAULTED"),
            (row.Principal, row.OutstandingPrincipal, row.AnnualRatePct, row.OriginationDate, row.Status));
        // Decimal aggregation and ordering still translate on the rows written by the raw insert.
        Assert.Equal(Enumerable.Range(0, 2_500).Sum(i => 500.5m + i), await check.LoanRecords.Where(r => r.SubmissionId == submissionId).SumAsync(r => r.OutstandingPrincipal));
        Assert.Equal("L002499", (await check.LoanRecords.Where(r => r.SubmissionId == submissionId).OrderByDescending(r => r.Principal).FirstAsync()).LoanId);
    }

    [Fact]
    public async Task Sqlite_writer_stores_non_ascii_and_long_text_and_the_same_decimal_text_as_EF()
    {
        var (submissionId, platformId) = await SubmissionAsync();
        var longRef = string.Concat(Enumerable.Repeat("借款人Ω", 60));
        await using var scope = _portal.As(UserContext.System);
        await using (var db = (PortalDbContext)await scope.Get<IPortalDbFactory>().CreateAsync())
        {
            var rows = Rows(submissionId, platformId, 3).Select(r => r.LoanId == "L000001" ? WithText(r, "贷款-0001", longRef) : r);
            await using var tx = await db.Database.BeginTransactionAsync();
            await LoanRecordWriter.For(db).WriteAsync(db, rows, CancellationToken.None);
            await tx.CommitAsync();
        }

        await using var check = (PortalDbContext)await scope.Get<IPortalDbFactory>().CreateAsync();
        var row = await check.LoanRecords.SingleAsync(r => r.SubmissionId == submissionId && r.LoanId == "贷款-0001");
        Assert.Equal(longRef, row.BorrowerRef);
        // The stored text of a decimal and a date is EF Core's own, so EF's comparisons and sorting keep working.
        await check.Database.OpenConnectionAsync();
        var connection = check.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT Principal, OriginationDate FROM LoanRecords WHERE SubmissionId = {submissionId} AND LoanId = 'L000002'";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("1002.25", "2026-03-03"), (reader.GetString(0), reader.GetString(1)));
    }

    [Fact]
    public async Task Sqlite_writer_keeps_every_value_of_full_statements_whether_bound_in_place_or_copied()
    {
        // Three full multi-row statements: values are bound in place from one buffer per statement, and texts too
        // long for what is left of it are bound as copies; empty texts must stay empty (not NULL).
        var (submissionId, platformId) = await SubmissionAsync();
        var count = SqliteLoanRecordWriter.RowsPerStatement * 3 + 5;
        string Borrower(int i) => (i % 4) switch
        {
            0 => "",
            1 => new string((char)('a' + i % 26), 3_000 + i),
            2 => $"借款人-{i}",
            _ => $"B{i}",
        };
        await using var scope = _portal.As(UserContext.System);
        await using (var db = (PortalDbContext)await scope.Get<IPortalDbFactory>().CreateAsync())
        {
            var rows = Rows(submissionId, platformId, count).Select((r, i) => WithText(r, $"L{i:D6}", Borrower(i)));
            await using var tx = await db.Database.BeginTransactionAsync();
            Assert.Equal(count, await LoanRecordWriter.For(db).WriteAsync(db, rows, CancellationToken.None));
            await tx.CommitAsync();
        }

        await using var check = await scope.Get<IPortalDbFactory>().CreateAsync();
        var stored = await check.LoanRecords.Where(r => r.SubmissionId == submissionId).OrderBy(r => r.LoanId)
            .Select(r => new { r.LoanId, r.BorrowerRef, r.Principal, r.OutstandingPrincipal, r.DaysPastDue, r.OriginationDate })
            .ToListAsync();
        Assert.Equal(count, stored.Count);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(($"L{i:D6}", Borrower(i), 1000m + i + 0.25m, 500.5m + i, i % 120, new DateOnly(2026, 1 + i % 9, 1 + i % 28)),
                (stored[i].LoanId, stored[i].BorrowerRef, stored[i].Principal, stored[i].OutstandingPrincipal, stored[i].DaysPastDue, stored[i].OriginationDate));
        }
    }

    [Fact]
    public async Task A_new_database_file_gets_8_KiB_pages_in_WAL_mode()
    {
        await using var scope = _portal.As(UserContext.System);
        await using var db = await scope.Get<IPortalDbFactory>().CreateAsync();
        var context = (PortalDbContext)db;
        await context.Database.OpenConnectionAsync();
        await using var command = context.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA page_size;";
        Assert.Equal(8192L, Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
    }

    private static LoanRecord WithText(LoanRecord r, string loanId, string borrower)
    {
        r.LoanId = loanId;
        r.BorrowerRef = borrower;
        return r;
    }

    [Fact]
    public async Task A_failure_mid_commit_leaves_no_partial_rows()
    {
        var (submissionId, platformId) = await SubmissionAsync();
        await using var scope = _portal.As(UserContext.System);
        await using (var db = (PortalDbContext)await scope.Get<IPortalDbFactory>().CreateAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await Assert.ThrowsAsync<IOException>(() => LoanRecordWriter.For(db).WriteAsync(db, Rows(submissionId, platformId, 2_000, failAt: 1_500), CancellationToken.None));
        }

        await using var check = await scope.Get<IPortalDbFactory>().CreateAsync();
        Assert.Equal(0, await check.LoanRecords.CountAsync(r => r.SubmissionId == submissionId));
    }

    [Fact]
    public void Sql_server_writer_maps_every_column_of_the_model_to_the_LoanRecords_table()
    {
        var builder = new DbContextOptionsBuilder<PortalDbContext>();
        DatabaseOptions.Configure(builder, DatabaseOptions.SqlServer, "Server=(no-server);Database=x;Trusted_Connection=True;TrustServerCertificate=True");
        using var db = new PortalDbContext(builder.Options);
        var columns = LoanRecordColumns.From(db.LoanRecords.EntityType);
        using var connection = new SqlConnection("Server=(no-server);Database=x;Trusted_Connection=True;TrustServerCertificate=True");

        using var bulk = SqlServerLoanRecordWriter.Create(connection, null, columns);

        Assert.Equal("[LoanRecords]", bulk.DestinationTableName);
        Assert.Equal(SqlServerLoanRecordWriter.BatchSize, bulk.BatchSize);
        Assert.True(bulk.EnableStreaming);
        var mapped = bulk.ColumnMappings.Cast<SqlBulkCopyColumnMapping>().Select(m => (m.SourceOrdinal, m.DestinationColumn)).ToList();
        var modelColumns = db.Model.FindEntityType(typeof(LoanRecord))!.GetProperties().Where(p => !p.IsPrimaryKey()).Select(p => p.GetColumnName()).Order().ToList();
        Assert.Equal(modelColumns, mapped.Select(m => m.DestinationColumn).Order().ToList());
        Assert.Equal(Enumerable.Range(0, mapped.Count), mapped.Select(m => m.SourceOrdinal));
    }

    [Fact]
    public async Task Sql_server_data_reader_streams_rows_with_values_in_mapped_order()
    {
        var builder = new DbContextOptionsBuilder<PortalDbContext>();
        DatabaseOptions.Configure(builder, DatabaseOptions.SqlServer, "Server=(no-server);Database=x;Trusted_Connection=True;TrustServerCertificate=True");
        using var db = new PortalDbContext(builder.Options);
        var columns = LoanRecordColumns.From(db.LoanRecords.EntityType);
        await using var reader = new LoanRecordDataReader(columns, Rows(7, 3, 3), CancellationToken.None);

        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            rows.Add(values);
        }

        Assert.Equal(3, reader.RowsRead);
        Assert.Equal(3, rows.Count);
        Assert.Equal(7L, rows[1][reader.GetOrdinal("SubmissionId")]);
        Assert.Equal("L000001", rows[1][reader.GetOrdinal("LoanId")]);
        Assert.Equal(1001.25m, rows[1][reader.GetOrdinal("Principal")]);
        Assert.Equal(new DateTime(2026, 2, 2), rows[1][reader.GetOrdinal("OriginationDate")]);
    }
}
