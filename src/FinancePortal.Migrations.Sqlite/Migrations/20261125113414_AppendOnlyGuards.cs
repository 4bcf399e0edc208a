using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinancePortal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AppendOnlyGuards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The app never changes or deletes audit entries or licence history; the database refuses it too.
            foreach (var table in new[] { "AuditEntries", "LicenceChanges" })
            {
                foreach (var verb in new[] { "UPDATE", "DELETE" })
                {
                    migrationBuilder.Sql(
                        $"CREATE TRIGGER \"TR_{table}_No{verb}\" BEFORE {verb} ON \"{table}\" " +
                        $"BEGIN SELECT RAISE(ABORT, '{table} is append-only.'); END;");
                }
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "AuditEntries", "LicenceChanges" })
            {
                foreach (var verb in new[] { "UPDATE", "DELETE" })
                {
                    migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"TR_{table}_No{verb}\";");
                }
            }
        }
    }
}
