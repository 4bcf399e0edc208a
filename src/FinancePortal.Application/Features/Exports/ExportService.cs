using System.Globalization;
using System.Threading.Channels;
using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.Exports;

/// <summary>
/// What one export is: a file name, a title, the columns, the rows (a streamed query of the feature's own service,
/// with the page's filters and the user's scope, every page) and what the audit entry says about it.
/// </summary>
public sealed record ExportDefinition<T>(
    string FileStem,
    string Title,
    IReadOnlyList<ExportColumn<T>> Columns,
    IAsyncEnumerable<T> Rows,
    string EntityType,
    string? EntityId,
    int? PlatformId,
    string Filters);

/// <summary>An export whose first row has been read (so scope and validation errors surface before the response starts).</summary>
public interface IPreparedExport : IAsyncDisposable
{
    string FileName(ExportFormat format);

    /// <summary>Writes every row to <paramref name="target"/>, completes the file and writes the audit entry; returns the row count.</summary>
    Task<long> WriteAsync(ExportFormat format, Stream target, ExportTracker? tracker, CancellationToken ct);
}

/// <summary>
/// The one export service: every grid export and the loan-level extract go through it. It writes the header and each
/// row through <see cref="IExportWriter"/> (XLSX or CSV), reports progress, honours cancellation, and writes one
/// <see cref="AuditActions.Exported"/> entry (who, what, filters, row count) once the file is complete. A cancelled or
/// failed export leaves no audit entry: nothing was delivered.
/// </summary>
public sealed class ExportService(IPortalDbFactory dbFactory, IExportWriterFactory writers, FinancePortal.Application.Diagnostics.PortalMetrics metrics, TimeProvider time)
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvContentType = "text/csv; charset=utf-8";

    /// <summary>Rows between progress reports and cancellation checks.</summary>
    public const int ProgressEvery = 1_000;

    /// <summary>Rows per batch handed from the reading thread to the writing one, and batches in flight (memory stays bounded).</summary>
    private const int BatchSize = 1_024;

    private const int BatchesInFlight = 8;

    private IExportWriterFactory Writers { get; } = writers;

    private FinancePortal.Application.Diagnostics.PortalMetrics Metrics { get; } = metrics;

    private TimeProvider Time { get; } = time;

    public static string ContentType(ExportFormat format) => format == ExportFormat.Xlsx ? XlsxContentType : CsvContentType;

    public static bool TryParseFormat(string? text, out ExportFormat format)
    {
        format = ExportFormat.Xlsx;
        if (string.IsNullOrEmpty(text) || text.Equals("xlsx", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (text.Equals("csv", StringComparison.OrdinalIgnoreCase))
        {
            format = ExportFormat.Csv;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Opens the row source and reads its first row: a <see cref="ForbiddenException"/>, <see cref="NotFoundException"/> or
    /// <see cref="ValidationFailedException"/> of the feature's query is thrown here, before any byte is written.
    /// </summary>
    public async Task<IPreparedExport> PrepareAsync<T>(ExportDefinition<T> definition, CancellationToken ct)
    {
        var rows = definition.Rows.GetAsyncEnumerator(ct);
        try
        {
            // The row source's context runs its query here: inside StreamingReads it streams even on SQL Server.
            bool hasFirst;
            using (StreamingReads.Begin())
            {
                hasFirst = await rows.MoveNextAsync();
            }

            return new Prepared<T>(this, definition, rows, hasFirst);
        }
        catch
        {
            await rows.DisposeAsync();
            throw;
        }
    }

    /// <summary>Prepares and writes in one go (benchmarks, server-side generation).</summary>
    public async Task<long> WriteAsync<T>(ExportDefinition<T> definition, ExportFormat format, Stream target, ExportTracker? tracker, CancellationToken ct)
    {
        await using var prepared = await PrepareAsync(definition, ct);
        return await prepared.WriteAsync(format, target, tracker, ct);
    }

    private async Task AuditAsync<T>(ExportDefinition<T> definition, ExportFormat format, long rows)
    {
        // The file is complete: the entry is written even if the client goes away now.
        await using var db = await dbFactory.CreateAsync(CancellationToken.None);
        var filters = string.IsNullOrWhiteSpace(definition.Filters) ? "none" : definition.Filters;
        // An export not about one platform, by a user whose scope is one platform (an Operator), is about that
        // platform: the entry is filed under it, so only those who may see that platform see the entry.
        var platformId = definition.PlatformId ?? (db.Scope is { IsAll: false, PlatformIds.Count: 1 } ? db.Scope.PlatformIds.Single() : null);
        db.Audit(AuditActions.Exported, definition.EntityType, definition.EntityId, platformId,
            string.Create(CultureInfo.InvariantCulture, $"{definition.Title}: {rows:N0} rows as {format.ToString().ToUpperInvariant()}. Filters: {filters}."));
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private sealed class Prepared<T>(ExportService service, ExportDefinition<T> definition, IAsyncEnumerator<T> rows, bool hasFirst) : IPreparedExport
    {
        public string FileName(ExportFormat format) => $"{definition.FileStem}.{(format == ExportFormat.Xlsx ? "xlsx" : "csv")}";

        public async Task<long> WriteAsync(ExportFormat format, Stream target, ExportTracker? tracker, CancellationToken ct)
        {
            using var linked = tracker is null ? null : CancellationTokenSource.CreateLinkedTokenSource(ct, tracker.Token);
            var token = linked?.Token ?? ct;
            var columns = definition.Columns;
            var info = columns.Select(c => c.Info).ToArray();
            long count = 0;
            var started = service.Time.GetTimestamp();
            var counted = new CountingStream(target);
            try
            {
                await using (var writer = await service.Writers.CreateAsync(format, counted, definition.Title, info, token))
                {
                    // Rows are read on another thread while this one writes (batches through a bounded channel): reading and
                    // materialising the rows costs about as much as writing them, and the two overlap on two cores.
                    using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
                    var batches = Channel.CreateBounded<T[]>(new BoundedChannelOptions(BatchesInFlight) { SingleReader = true, SingleWriter = true });
                    var produce = Task.Run(() => ProduceAsync(batches.Writer, stop.Token), CancellationToken.None);
                    try
                    {
                        await foreach (var batch in batches.Reader.ReadAllAsync(token))
                        {
                            foreach (var row in batch)
                            {
                                for (var i = 0; i < columns.Count; i++)
                                {
                                    columns[i].Write(row, writer);
                                }

                                await writer.EndRowAsync(token);
                                if (++count % ProgressEvery == 0)
                                {
                                    token.ThrowIfCancellationRequested();
                                    tracker?.Report(count);
                                }
                            }
                        }
                    }
                    finally
                    {
                        // Whatever ended the writing, the reading stops too before the row source is disposed.
                        await stop.CancelAsync();
                        await produce;
                    }

                    await writer.CompleteAsync(token);
                }

                tracker?.Complete(count);
            }
            catch (OperationCanceledException)
            {
                tracker?.Cancelled(count);
                throw;
            }
            catch (Exception e)
            {
                tracker?.Failed(count, e.Message);
                throw;
            }

            await service.AuditAsync(definition, format, count);
            service.Metrics.RecordExport(definition.EntityType, format == ExportFormat.Xlsx ? "xlsx" : "csv", count, counted.BytesWritten, service.Time.GetElapsedTime(started));
            return count;
        }

        /// <summary>Moves the rows into batches for the writing thread; ends the channel with the source's exception, if any.</summary>
        private async Task ProduceAsync(ChannelWriter<T[]> batches, CancellationToken ct)
        {
            try
            {
                var batch = new T[BatchSize];
                var filled = 0;
                var more = hasFirst;
                while (more)
                {
                    batch[filled++] = rows.Current;
                    if (filled == BatchSize)
                    {
                        await batches.WriteAsync(batch, ct);
                        batch = new T[BatchSize];
                        filled = 0;
                    }

                    more = await rows.MoveNextAsync();
                }

                if (filled > 0)
                {
                    await batches.WriteAsync(batch[..filled], ct);
                }

                batches.Complete();
            }
            catch (Exception e)
            {
                batches.Complete(e);
            }
        }

        public ValueTask DisposeAsync() => rows.DisposeAsync();
    }
}

/// <summary>Passes writes through to the target and counts the bytes (for the exports' byte metric); write-only.</summary>
internal sealed class CountingStream(Stream target) : Stream
{
    public long BytesWritten { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }

    public override void Flush() => target.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => target.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        target.Write(buffer, offset, count);
        BytesWritten += count;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        target.Write(buffer);
        BytesWritten += buffer.Length;
    }

    public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        await target.WriteAsync(buffer.AsMemory(offset, count), cancellationToken);
        BytesWritten += count;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await target.WriteAsync(buffer, cancellationToken);
        BytesWritten += buffer.Length;
    }
}
