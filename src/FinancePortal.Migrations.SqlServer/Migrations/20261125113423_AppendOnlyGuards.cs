using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinancePortal.Migrations.SqlServer.Migrations
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
                // CREATE TRIGGER must start its batch; EXEC keeps it valid inside the idempotent script's IF blocks.
                migrationBuilder.Sql(
                    $"EXEC(N'CREATE TRIGGER [dbo].[TR_{table}_AppendOnly] ON [dbo].[{table}] INSTEAD OF UPDATE, DELETE AS " +
                    $"BEGIN SET NOCOUNT ON; THROW 51000, N''{table} is append-only.'', 1; END');");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "AuditEntries", "LicenceChanges" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS [dbo].[TR_{table}_AppendOnly];");
            }
        }
    }
}
