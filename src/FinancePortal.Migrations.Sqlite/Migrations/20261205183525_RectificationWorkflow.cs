using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinancePortal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RectificationWorkflow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RectificationRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PlatformId = table.Column<int>(type: "INTEGER", nullable: false),
                    AlertId = table.Column<long>(type: "INTEGER", nullable: true),
                    SupervisoryActionId = table.Column<long>(type: "INTEGER", nullable: true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    DueDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RequestedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RequestedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AnsweredUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AcceptedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RectificationRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RectificationRequests_Alerts_AlertId",
                        column: x => x.AlertId,
                        principalTable: "Alerts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RectificationRequests_Platforms_PlatformId",
                        column: x => x.PlatformId,
                        principalTable: "Platforms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RectificationRequests_SupervisoryActions_SupervisoryActionId",
                        column: x => x.SupervisoryActionId,
                        principalTable: "SupervisoryActions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RectificationMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RequestId = table.Column<long>(type: "INTEGER", nullable: false),
                    PlatformId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    FromPlatform = table.Column<bool>(type: "INTEGER", nullable: false),
                    TimeUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RectificationMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RectificationMessages_RectificationRequests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "RectificationRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RectificationAttachments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MessageId = table.Column<long>(type: "INTEGER", nullable: false),
                    RequestId = table.Column<long>(type: "INTEGER", nullable: false),
                    PlatformId = table.Column<int>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    SizeBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RectificationAttachments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RectificationAttachments_RectificationMessages_MessageId",
                        column: x => x.MessageId,
                        principalTable: "RectificationMessages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RectificationAttachments_RectificationRequests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "RectificationRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RectificationAttachments_MessageId",
                table: "RectificationAttachments",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_RectificationAttachments_RequestId",
                table: "RectificationAttachments",
                column: "RequestId");

            migrationBuilder.CreateIndex(
                name: "IX_RectificationMessages_RequestId_TimeUtc",
                table: "RectificationMessages",
                columns: new[] { "RequestId", "TimeUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_RectificationRequests_AlertId",
                table: "RectificationRequests",
                column: "AlertId");

            migrationBuilder.CreateIndex(
                name: "IX_RectificationRequests_PlatformId_State_DueDate",
                table: "RectificationRequests",
                columns: new[] { "PlatformId", "State", "DueDate" });

            migrationBuilder.CreateIndex(
                name: "IX_RectificationRequests_SupervisoryActionId",
                table: "RectificationRequests",
                column: "SupervisoryActionId",
                unique: true);

            // Existing rectification requests (supervisory actions of that kind) become open requests with their first step.
            migrationBuilder.Sql("""
                INSERT INTO "RectificationRequests" ("PlatformId", "AlertId", "SupervisoryActionId", "Text", "DueDate", "State", "RequestedById", "RequestedByName", "CreatedUtc", "UpdatedUtc", "ConcurrencyStamp")
                SELECT "PlatformId", "AlertId", "Id", "Text", COALESCE("DueDate", date("CreatedUtc", '+30 days')), 'Open', "ActorId", "ActorName", "CreatedUtc", "CreatedUtc",
                       upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6)))
                FROM "SupervisoryActions" WHERE "Kind" = 'RectificationRequest';
                INSERT INTO "RectificationMessages" ("RequestId", "PlatformId", "Kind", "Text", "ActorId", "ActorName", "FromPlatform", "TimeUtc")
                SELECT "Id", "PlatformId", 'Requested', "Text", "RequestedById", "RequestedByName", 0, "CreatedUtc" FROM "RectificationRequests";
                """);

            // The thread of a request and its attachments are records: the database refuses changes too.
            foreach (var table in new[] { "RectificationMessages", "RectificationAttachments" })
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
            foreach (var table in new[] { "RectificationMessages", "RectificationAttachments" })
            {
                foreach (var verb in new[] { "UPDATE", "DELETE" })
                {
                    migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"TR_{table}_No{verb}\";");
                }
            }

            migrationBuilder.DropTable(
                name: "RectificationAttachments");

            migrationBuilder.DropTable(
                name: "RectificationMessages");

            migrationBuilder.DropTable(
                name: "RectificationRequests");
        }
    }
}
